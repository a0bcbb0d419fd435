package io.ferry.executor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mesos.MesosUuids;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StatusUpdateLedgerTest {
  static final ExecutorID EXECUTOR = ExecutorID.newBuilder().setValue("e").build();

  static TaskInfo task(String id) {
    return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
        .setAgentId(org.apache.mesos.v1.Protos.AgentID.newBuilder().setValue("a")).build();
  }

  static TaskStatus status(String task, TaskState state) {
    return StatusUpdates.of(EXECUTOR, TaskID.newBuilder().setValue(task).build(), state, "");
  }

  @Test
  void keepsUpdatesUntilAcknowledgedAndTasksUntilOneOfTheirUpdatesIs() {
    StatusUpdateLedger ledger = new StatusUpdateLedger();
    ledger.launched(task("t1"));
    ledger.launched(task("t2"));
    TaskStatus running = status("t1", TaskState.TASK_RUNNING);
    TaskStatus finished = status("t1", TaskState.TASK_FINISHED);
    ledger.record(running);
    ledger.record(finished);

    Call.Subscribe before = ledger.subscribe();
    assertThat(before.getUnacknowledgedTasksList()).extracting(t -> t.getTaskId().getValue()).containsExactly("t1", "t2");
    assertThat(before.getUnacknowledgedUpdatesList()).extracting(u -> u.getStatus().getState())
        .containsExactly(TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);

    assertThat(ledger.acknowledge(running.getTaskId(), running.getUuid())).isTrue();
    assertThat(ledger.acknowledge(running.getTaskId(), running.getUuid())).as("a repeated ACK").isFalse();
    Call.Subscribe after = ledger.subscribe();
    assertThat(after.getUnacknowledgedTasksList()).extracting(t -> t.getTaskId().getValue()).containsExactly("t2");
    assertThat(StatusUpdateLedger.uuids(after)).containsExactly(finished.getUuid());
    assertThat(ledger.allAcknowledged()).isFalse();

    ledger.acknowledge(finished.getTaskId(), finished.getUuid());
    assertThat(ledger.allAcknowledged()).isTrue();
    assertThat(ledger.isUnacknowledged(finished.getUuid())).isFalse();
  }

  @Test
  void statusesAreWhatTheAgentAccepts() {
    TaskStatus s = StatusUpdates.of(EXECUTOR, TaskID.newBuilder().setValue("t").build(), TaskState.TASK_FAILED,
        "java.lang.IllegalStateException: boom\n\tat x.y(Z.java:1)");
    assertThat(MesosUuids.isValid(s.getUuid())).isTrue();
    assertThat(s.getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
    assertThat(s.hasAgentId()).isFalse();
    assertThat(s.getMessage()).isEqualTo("java.lang.IllegalStateException: boom at x.y(Z.java:1)");
    assertThat(status("t", TaskState.TASK_RUNNING).getUuid()).isNotEqualTo(status("t", TaskState.TASK_RUNNING).getUuid());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> status("t", TaskState.TASK_STAGING))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
