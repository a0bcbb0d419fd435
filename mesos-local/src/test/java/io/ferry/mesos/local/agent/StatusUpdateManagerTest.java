package io.ferry.mesos.local.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ferry.mesos.MesosUuids;
import io.ferry.mesos.local.ManualTimers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Per-task update streams: the digest's edge cases 12 and 13 among them. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StatusUpdateManagerTest {

  final ManualTimers timers = new ManualTimers();
  final List<TaskStatus> forwarded = new ArrayList<>();
  final StatusUpdateManager manager = new StatusUpdateManager(timers, (fw, s) -> forwarded.add(s),
      StatusUpdateManager.INITIAL_RETRY, StatusUpdateManager.MAX_RETRY);

  private static TaskStatus status(String task, TaskState state) {
    return TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue(task)).setState(state)
        .setUuid(MesosUuids.random()).build();
  }

  private void ack(TaskStatus s) {
    manager.acknowledged("F", s.getTaskId(), s.getUuid());
  }

  @Test
  void onlyTheHeadIsInFlightAndItIsRetriedWithBackoffUntilAcknowledged() {
    TaskStatus running = status("t", TaskState.TASK_RUNNING);
    TaskStatus finished = status("t", TaskState.TASK_FINISHED);
    manager.update("F", running);
    manager.update("F", finished);
    assertThat(forwarded).containsExactly(running);
    timers.advance(Duration.ofSeconds(10));
    timers.advance(Duration.ofSeconds(20));
    timers.advance(Duration.ofSeconds(40));
    assertThat(forwarded).containsExactly(running, running, running, running);
    timers.advance(Duration.ofHours(1));
    // Then waits of 80, 160, 320 s and 600 s from there on (the 10 minute cap): resent at
    // t = 150, 310, 630, 1230, 1830, 2430, 3030 and 3630 s.
    assertThat(forwarded).hasSize(4 + 8);
    ack(running);
    assertThat(forwarded).last().isEqualTo(finished);
    ack(finished);
    assertThat(manager.hasPending("F", "t")).isFalse();
    int sent = forwarded.size();
    timers.advance(Duration.ofHours(1));
    assertThat(forwarded).hasSize(sent);
  }

  @Test
  void duplicatesAreNotForwardedAndASecondTerminalUpdateIsDropped() {
    TaskStatus failed = status("t", TaskState.TASK_FAILED);
    assertThat(manager.update("F", failed)).isEqualTo(StatusUpdateManager.Outcome.QUEUED);
    assertThat(manager.update("F", failed)).isEqualTo(StatusUpdateManager.Outcome.DUPLICATE);
    assertThat(manager.update("F", status("t", TaskState.TASK_FINISHED))).isEqualTo(StatusUpdateManager.Outcome.DROPPED);
    assertThat(forwarded).containsExactly(failed);
    assertThat(manager.terminalReceived("F", "t")).isTrue();
  }

  @Test
  void aWrongUuidDoesNotMoveTheStream() {
    TaskStatus running = status("t", TaskState.TASK_RUNNING);
    manager.update("F", running);
    manager.update("F", status("t", TaskState.TASK_FINISHED));
    manager.acknowledged("F", running.getTaskId(), ByteString.copyFrom(new byte[16]));
    assertThat(forwarded).containsExactly(running);
  }

  @Test
  void sendingPausesWhileTheMasterIsAwayAndResumes() {
    TaskStatus running = status("t", TaskState.TASK_RUNNING);
    manager.pause();
    manager.update("F", running);
    timers.advance(Duration.ofMinutes(30));
    assertThat(forwarded).isEmpty();
    manager.resume();
    assertThat(forwarded).containsExactly(running);
  }

  @Test
  void streamsAreIndependentPerTask() {
    TaskStatus a = status("a", TaskState.TASK_RUNNING);
    TaskStatus b = status("b", TaskState.TASK_RUNNING);
    manager.update("F", a);
    manager.update("F", b);
    assertThat(forwarded).containsExactly(a, b);
  }
}
