package io.ferry.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.api.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link FerryContext#runAll}'s failure as a REPL or a log shows it (ferry-shell prints the
 * exception of a snippet with its stack trace): thrown from the caller's stack, not the scheduler's
 * callback thread, so the trace is short and ends where the application waited.
 */
@Timeout(60)
class RunAllFailureTest {

  @Test
  void aFailedTaskIsThrownFromTheCallersStackWithItsIds() throws Exception {
    try (FerryContext ferry = FerryContext.create(Map.of("ferry.master", "local[1]", "ferry.task.maxFailures", "1"))) {
      Task<Integer> doomed = ctx -> {
        throw new IllegalStateException("no luck");
      };
      TaskFailedException e = catchThrowableOfType(TaskFailedException.class, () -> ferry.runAll(List.of(doomed)));
      assertThat(e).hasMessageContaining("task 0 (task 0) failed 1 time").hasMessageContaining("IllegalStateException: no luck");
      StackTraceElement top = e.getStackTrace()[0];
      assertThat(top.getClassName() + "." + top.getMethodName()).isEqualTo(FerryContext.class.getName() + ".runAll");
      assertThat(e.getStackTrace()).as("the caller's frames, not a callback thread's")
          .anyMatch(f -> f.getClassName().equals(RunAllFailureTest.class.getName()))
          .noneMatch(f -> f.getClassName().contains("ThreadPoolExecutor"));
      assertThat(e.executorId()).contains("local");
      assertThat(e.agentId()).contains("localhost");
      assertThat(e.remoteStackTrace()).contains("no luck");
      assertThat(ferry.executorLog(e)).as("local[N] has no Mesos, no sandbox").isEmpty();
      assertThat(e.getMessage()).doesNotContain("executor's log");
    }
  }

  /**
   * JShell's Ctrl-C stops the snippet's thread ({@code Thread.stop}, a {@code ThreadDeath} in the
   * waiting caller) and an interrupt ends the wait too: either way the tasks still running or waiting
   * are cancelled, not left to run on the cluster for nobody.
   */
  @Test
  @SuppressWarnings("removal")
  void aCallerThatStopsWaitingCancelsWhatIsNotDone() throws Exception {
    try (FerryContext ferry = FerryContext.create(Map.of("ferry.master", "local[2]"))) {
      for (boolean stop : new boolean[] {false, true}) {
        long cancelledBefore = ferry.progress().cancelled();
        List<Task<Integer>> slow = java.util.Collections.nCopies(6, ctx -> {
          Thread.sleep(60_000);
          return 1;
        });
        Thread caller = new Thread(() -> {
          try {
            ferry.runAll(slow);
          } catch (InterruptedException expected) {
            // the interrupt ends the wait
          }
        });
        caller.start();
        await("two tasks running",
            () -> ferry.progress().running() == 2);
        if (stop) {
          caller.stop();
        } else {
          caller.interrupt();
        }
        caller.join(10_000);
        assertThat(caller.isAlive()).isFalse();
        await("every task cancelled",
            () -> ferry.progress().running() == 0 && ferry.progress().cancelled() - cancelledBefore == 6);
      }
    }
  }

  private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
