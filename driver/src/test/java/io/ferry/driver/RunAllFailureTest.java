package io.ferry.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.api.Task;
import io.ferry.api.TaskContext;
import io.ferry.mesos.local.Await;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
        long submittedBefore = ferry.progress().submitted();
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
        await("six tasks submitted, two running",
            () -> ferry.progress().submitted() - submittedBefore == 6 && ferry.progress().running() == 2);
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

  /** The threads that serialized {@link GatedTask}s, and the gate the one numbered {@link #GATED} waits at. */
  private static final List<String> SERIALIZED_ON = new java.util.concurrent.CopyOnWriteArrayList<>();
  private static final int GATED = 2;
  private static final CountDownLatch AT_GATE = new CountDownLatch(1);
  private static final CountDownLatch OPEN_GATE = new CountDownLatch(1);

  /** A task of a minute whose serialization (at submission) the test can hold, for the task numbered GATED. */
  private static final class GatedTask implements Task<Integer> {
    private final int number;

    GatedTask(int number) {
      this.number = number;
    }

    @Override
    public Integer run(TaskContext ctx) throws Exception {
      Thread.sleep(60_000);
      return number;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
      SERIALIZED_ON.add(Thread.currentThread().getName());
      if (number == GATED) {
        AT_GATE.countDown();
        try {
          OPEN_GATE.await();
        } catch (InterruptedException e) {
          throw new InterruptedIOException("interrupted at the gate");
        }
      }
      out.defaultWriteObject();
    }
  }

  /**
   * Ctrl-C may come while runAll is still submitting (a snippet of many tasks): what was submitted is
   * cancelled and nothing more is submitted. The caller's thread only waits; the submission, which a
   * stop could cut half-way (a task accepted but never cancelled), runs on a thread of its own.
   */
  @Test
  @SuppressWarnings("removal")
  void aStopWhileTasksAreStillBeingSubmittedCancelsTheSubmittedAndSubmitsNoMore() throws Exception {
    try (FerryContext ferry = FerryContext.create(Map.of("ferry.master", "local[2]"))) {
      List<Task<Integer>> tasks = new java.util.ArrayList<>();
      for (int i = 0; i < 6; i++) {
        tasks.add(new GatedTask(i));
      }
      Thread caller = new Thread(() -> {
        try {
          ferry.runAll(tasks);
        } catch (InterruptedException unexpected) {
          Thread.currentThread().interrupt();
        }
      }, "snippet");
      caller.start();
      assertThat(AT_GATE.await(10, TimeUnit.SECONDS)).as("task %d's submission reached the gate", GATED).isTrue();
      await("the two tasks before it running", () -> ferry.progress().running() == 2);
      caller.stop();
      caller.join(10_000);
      assertThat(caller.isAlive()).isFalse();
      OPEN_GATE.countDown(); // the held submission completes now, after the stop

      await("the three tasks submitted cancelled",
          () -> ferry.progress().running() == 0 && ferry.progress().cancelled() == GATED + 1);
      Await.during(Duration.ofMillis(500), () -> {
        assertThat(ferry.progress().submitted()).as("nothing submitted after the stop").isEqualTo(GATED + 1);
        assertThat(ferry.progress().running()).isZero();
      });
      assertThat(SERIALIZED_ON).as("tasks are serialized (submitted) off the caller's thread")
          .hasSize(GATED + 1).allMatch(name -> name.startsWith("ferry-submit-"));
    } finally {
      OPEN_GATE.countDown();
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
