package io.ferry.driver.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.api.TaskSerializer;
import io.ferry.driver.TaskFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TaskSchedulerTest {
  private final List<Attempt> killed = new ArrayList<>();
  private int workSignals;
  private final TaskSerializer serializer = new TaskSerializer(getClass().getClassLoader());
  private final TaskScheduler scheduler = new TaskScheduler(
      new TaskScheduler.Policy(3, 2, Duration.ofHours(1)), serializer, Runnable::run);

  {
    scheduler.attach(new TaskScheduler.Backend() {
      @Override
      public void workArrived() {
        workSignals++;
      }

      @Override
      public void kill(Attempt attempt) {
        killed.add(attempt);
      }
    });
  }

  @Test
  void aResultIsAcceptedExactlyOnce() throws Exception {
    TaskFuture<String> f = scheduler.submit(ctx -> "x", "t");
    Attempt a = scheduler.nextAttempt("agent-1", "e-1", null).orElseThrow();
    assertThat(a.mesosTaskId()).isEqualTo("ferry-task-0-0");
    assertThat(scheduler.succeeded(a, serializer.serialize("first"))).isTrue();
    assertThat(scheduler.succeeded(a, serializer.serialize("second"))).isFalse();
    assertThat(scheduler.failed(a, "late failure", "")).isFalse();
    assertThat(f.get()).isEqualTo("first");
    assertThat(scheduler.activeCount()).isZero();
  }

  @Test
  void aStaleAttemptCannotCompleteTheRetry() throws Exception {
    TaskFuture<String> f = scheduler.submit(ctx -> "x", "t");
    Attempt first = scheduler.nextAttempt("agent-1", "e-1", null).orElseThrow();
    scheduler.failed(first, "executor lost", "");
    Attempt second = scheduler.nextAttempt("agent-2", "e-2", null).orElseThrow();
    assertThat(second.number()).isEqualTo(1);
    assertThat(scheduler.succeeded(first, serializer.serialize("zombie"))).isFalse();
    scheduler.succeeded(second, serializer.serialize("real"));
    assertThat(f.get()).isEqualTo("real");
  }

  @Test
  void aRetryPrefersAnotherAgentButUsesTheOnlyOne() {
    scheduler.submit(ctx -> "x", "t");
    scheduler.nextAttempt("agent-2", "e-2", null).ifPresent(a -> scheduler.unlaunched(a)); // agent-2 seen
    Attempt first = scheduler.nextAttempt("agent-1", "e-1", null).orElseThrow();
    scheduler.failed(first, "boom", "");
    assertThat(scheduler.nextAttempt("agent-1", "e-1", null)).isEmpty();
    assertThat(scheduler.nextAttempt("agent-2", "e-2", null)).isPresent();

    TaskScheduler lonely = new TaskScheduler(new TaskScheduler.Policy(3, 5, Duration.ofHours(1)), serializer, Runnable::run);
    lonely.submit(ctx -> "x", "t");
    Attempt only = lonely.nextAttempt("agent-1", "e-1", null).orElseThrow();
    lonely.failed(only, "boom", "");
    assertThat(lonely.nextAttempt("agent-1", "e-1", null)).isPresent();
  }

  @Test
  void maxFailuresEndsTheTaskWithTheLastCause() {
    TaskFuture<String> f = scheduler.submit(ctx -> "x", "doomed");
    for (int i = 0; i < 3; i++) {
      Attempt a = scheduler.nextAttempt("agent-" + i, "e-" + i, null).orElseThrow();
      scheduler.failed(a, "cause " + i, "trace " + i);
    }
    assertThat(scheduler.nextAttempt("agent-9", "e-9", null)).isEmpty();
    assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class).cause()
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("task 0 (doomed) failed 3 times")
        .hasMessageContaining("cause 2")
        .satisfies(e -> assertThat(((TaskFailedException) e).remoteStackTrace()).isEqualTo("trace 2"));
  }

  @Test
  void anAgentThatKeepsFailingIsExcludedWhileAnotherIsUsable() {
    for (int i = 0; i < 3; i++) {
      scheduler.submit(ctx -> "x", "t" + i);
    }
    assertThat(scheduler.isExcluded("good")).isFalse();
    scheduler.failed(scheduler.nextAttempt("bad", "e", null).orElseThrow(), "x", "");
    scheduler.failed(scheduler.nextAttempt("bad", "e", null).orElseThrow(), "x", "");
    assertThat(scheduler.isExcluded("bad")).isTrue();
    assertThat(scheduler.nextAttempt("bad", "e", null)).isEmpty();
    assertThat(scheduler.nextAttempt("good", "e2", null)).isPresent();
  }

  @Test
  void cancellingARunningTaskKillsItsAttemptOnce() {
    TaskFuture<String> f = scheduler.submit(ctx -> "x", "t");
    Attempt a = scheduler.nextAttempt("agent-1", "e-1", "slots-1").orElseThrow();
    assertThat(a.mesosTaskId()).isEqualTo("slots-1");
    f.cancel(true);
    f.cancel(true);
    assertThat(killed).containsExactly(a);
    assertThat(scheduler.succeeded(a, new byte[0])).isFalse();
    assertThat(scheduler.activeCount()).isZero();
  }

  @Test
  void anUnlaunchedAttemptIsNotAFailure() throws Exception {
    TaskFuture<String> f = scheduler.submit(ctx -> "x", "t");
    Attempt a = scheduler.nextAttempt("agent-1", "e-1", null).orElseThrow();
    scheduler.unlaunched(a);
    Attempt again = scheduler.nextAttempt("agent-1", "e-1", null).orElseThrow();
    assertThat(again.number()).isZero();
    scheduler.succeeded(again, serializer.serialize("ok"));
    assertThat(f.get()).isEqualTo("ok");
  }
}
