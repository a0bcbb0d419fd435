package io.ferry.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.api.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code local[N]}: the scheduler's contract without Mesos (retries, cancellation, serialization). */
@Timeout(60)
class LocalModeTest {
  static final AtomicInteger flakyRuns = new AtomicInteger();
  static final CountDownLatch started = new CountDownLatch(1);

  private static FerryContext local(int threads, String maxFailures) throws Exception {
    return FerryContext.create(Map.of("ferry.master", "local[" + threads + "]", "ferry.task.maxFailures", maxFailures));
  }

  @Test
  void runsEveryTaskAndKeepsOrder() throws Exception {
    try (FerryContext ferry = local(3, "1")) {
      List<Task<Integer>> tasks = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        int n = i;
        tasks.add(ctx -> n * n);
      }
      List<Integer> squares = ferry.runAll(tasks);
      for (int i = 0; i < 50; i++) {
        assertThat(squares.get(i)).isEqualTo(i * i);
      }
    }
  }

  @Test
  void aFailingTaskIsRetriedThenSucceeds() throws Exception {
    flakyRuns.set(0);
    try (FerryContext ferry = local(2, "3")) {
      Integer attempt = ferry.submit(ctx -> {
        flakyRuns.incrementAndGet();
        if (ctx.attempt() < 2) {
          throw new IllegalStateException("flaky " + ctx.attempt());
        }
        return ctx.attempt();
      }).get(20, TimeUnit.SECONDS);
      assertThat(attempt).isEqualTo(2);
      assertThat(flakyRuns).hasValue(3);
    }
  }

  @Test
  void aTaskThatAlwaysFailsReportsTheCause() throws Exception {
    try (FerryContext ferry = local(2, "2")) {
      CompletableFuture<Object> f = ferry.submit("doomed", ctx -> {
        throw new IllegalArgumentException("bad input in record 7");
      });
      assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(TaskFailedException.class)
          .hasMessageContaining("(doomed) failed 2 times")
          .hasMessageContaining("IllegalArgumentException: bad input in record 7");
    }
  }

  @Test
  void aNonSerializableTaskFailsAtSubmit() throws Exception {
    Object notSerializable = new Object();
    try (FerryContext ferry = local(1, "1")) {
      CompletableFuture<String> f = ferry.submit(ctx -> notSerializable.toString());
      assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).cause()
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be serialized");
    }
  }

  @Test
  void cancellingAFutureInterruptsTheTask() throws Exception {
    try (FerryContext ferry = local(1, "1")) {
      CompletableFuture<String> f = ferry.submit(ctx -> {
        started.countDown();
        Thread.sleep(60_000);
        return "not reached";
      });
      assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
      f.cancel(true);
      // The single thread is free again: the next task runs.
      assertThat(ferry.submit(ctx -> "next").get(20, TimeUnit.SECONDS)).isEqualTo("next");
    }
  }

  @Test
  void closeFailsWhatIsLeftAndRefusesMore() throws Exception {
    FerryContext ferry = local(1, "1");
    CompletableFuture<String> blocked = ferry.submit(ctx -> {
      Thread.sleep(60_000);
      return "x";
    });
    CompletableFuture<String> queued = ferry.submit(ctx -> "y");
    ferry.close();
    assertThatThrownBy(() -> queued.get(5, TimeUnit.SECONDS)).hasMessageContaining("closed");
    assertThatThrownBy(() -> blocked.get(5, TimeUnit.SECONDS)).hasMessageContaining("closed");
    assertThatThrownBy(() -> ferry.submit(ctx -> "z")).isInstanceOf(IllegalStateException.class);
  }
}
