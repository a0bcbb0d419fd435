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
}
