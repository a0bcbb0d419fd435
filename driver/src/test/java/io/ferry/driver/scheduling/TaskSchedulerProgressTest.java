package io.ferry.driver.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.api.TaskSerializer;
import io.ferry.driver.JobProgress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The counts {@link TaskScheduler#progress()} publishes for ferry-submit's progress display. */
@Timeout(30)
class TaskSchedulerProgressTest {
  private final TaskSerializer serializer = new TaskSerializer(getClass().getClassLoader());
  private final TaskScheduler scheduler = new TaskScheduler(
      new TaskScheduler.Policy(2, 5, Duration.ofHours(1)), serializer, Runnable::run);

  @Test
  void everyTransitionIsCounted() throws Exception {
    assertThat(scheduler.progress()).isEqualTo(JobProgress.NONE);
    for (int i = 0; i < 5; i++) {
      scheduler.submit(ctx -> "x", "t" + i);
    }
    assertThat(scheduler.progress()).isEqualTo(new JobProgress(5, 0, 0, 0, 0, 0, 0));
    assertThat(scheduler.progress().pending()).isEqualTo(5);

    Attempt a0 = scheduler.nextAttempt("agent-1", "e-1", null).orElseThrow();
    Attempt a1 = scheduler.nextAttempt("agent-1", "e-1", null).orElseThrow();
    Attempt a2 = scheduler.nextAttempt("agent-1", "e-1", null).orElseThrow();
    assertThat(scheduler.progress().running()).isEqualTo(3);

    scheduler.unlaunched(a2); // never started: waits again, nothing counted against it
    assertThat(scheduler.progress()).isEqualTo(new JobProgress(5, 0, 0, 0, 2, 0, 0));

    scheduler.succeeded(a0, serializer.serialize("ok"));
    scheduler.lost(a1, "executor gone"); // runs again: a lost attempt, not a failed task
    assertThat(scheduler.progress()).isEqualTo(new JobProgress(5, 1, 0, 0, 0, 0, 1));

    Attempt retry = attemptOf(a1.taskId(), "agent-2");
    scheduler.failed(retry, "boom", "");
    Attempt last = attemptOf(a1.taskId(), "agent-1");
    scheduler.failed(last, "boom again", ""); // maxFailures 2: gone for good
    JobProgress p = scheduler.progress();
    assertThat(p).isEqualTo(new JobProgress(5, 1, 1, 0, 0, 2, 1));
    assertThat(p.done()).isEqualTo(2);
    assertThat(p.pending()).isEqualTo(3);

    Attempt running = scheduler.nextAttempt("agent-1", "e-1", null).orElseThrow();
    assertThat(scheduler.progress().running()).isEqualTo(1);
    scheduler.close("test over"); // the running one and the two waiting ones are cancelled
    p = scheduler.progress();
    assertThat(p).isEqualTo(new JobProgress(5, 1, 1, 3, 0, 2, 1));
    assertThat(p.idle()).isTrue();
    assertThat(scheduler.succeeded(running, serializer.serialize("late"))).isFalse();
    assertThat(scheduler.progress()).isEqualTo(p);
  }

  /** The next attempt of this task on this agent; the other tasks taken meanwhile go back unlaunched. */
  private Attempt attemptOf(long taskId, String agent) {
    java.util.List<Attempt> others = new java.util.ArrayList<>();
    try {
      while (true) {
        Attempt a = scheduler.nextAttempt(agent, "e-" + agent, null).orElseThrow();
        if (a.taskId() == taskId) {
          return a;
        }
        others.add(a);
      }
    } finally {
      others.forEach(scheduler::unlaunched);
    }
  }

  @Test
  void cancelledAndAbortedTasksAreDone() {
    TaskFuture<String> waiting = scheduler.submit(ctx -> "x", "a");
    scheduler.submit(ctx -> "x", "b");
    scheduler.submit(ctx -> "x", "c");
    scheduler.nextAttempt("agent-1", "e-1", null).orElseThrow(); // a runs
    waiting.cancel(true);
    assertThat(scheduler.progress()).isEqualTo(new JobProgress(3, 0, 0, 1, 0, 0, 0));
    scheduler.nextAttempt("agent-1", "e-1", null).orElseThrow(); // b runs
    scheduler.abort("the archive has no launcher");
    assertThat(scheduler.progress()).isEqualTo(new JobProgress(3, 0, 2, 1, 0, 0, 0));
  }
}
