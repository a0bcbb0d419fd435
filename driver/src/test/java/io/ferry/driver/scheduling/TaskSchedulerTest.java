package io.ferry.driver.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.api.TaskSerializer;
import io.ferry.driver.TaskFailedException;
import io.ferry.driver.testing.LogCapture;
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

  /** Results that arrive together complete their futures in one hand-off to the results thread, each exactly once. */
  @Test
  void resultsThatArriveTogetherAreCompletedInOneHandOff() throws Exception {
    List<Runnable> handOffs = new ArrayList<>();
    TaskScheduler batched = new TaskScheduler(new TaskScheduler.Policy(3, 2, Duration.ofHours(1)), serializer,
        handOffs::add);
    List<TaskFuture<String>> futures = new ArrayList<>();
    List<TaskScheduler.Success> results = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      futures.add(batched.submit(ctx -> "x", "t" + i));
    }
    for (int i = 0; i < 3; i++) {
      Attempt a = batched.nextAttempt("agent-1", "e-1", "slots").orElseThrow();
      results.add(new TaskScheduler.Success(a, serializer.serialize("r" + a.taskId())));
    }
    results.add(results.get(1)); // a duplicate in the same batch counts once
    assertThat(batched.succeededAll(results)).isEqualTo(3);
    assertThat(batched.succeededAll(List.of(results.get(0)))).as("a duplicate in a later batch").isZero();
    assertThat(handOffs).as("hand-offs to the results thread").hasSize(1);
    assertThat(futures).noneMatch(TaskFuture::isDone);
    handOffs.get(0).run();
    assertThat(futures).extracting(TaskFuture::get).containsExactly("r0", "r1", "r2");
    assertThat(batched.activeCount()).isZero();
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

  @Test
  void anExecutorLossIsNeitherAFailureNorHeldAgainstTheAgent() throws Exception {
    scheduler.isExcluded("other"); // a second agent has shown up: exclusion could take effect
    TaskFuture<String> f0 = scheduler.submit(ctx -> "x", "t0");
    TaskFuture<String> f1 = scheduler.submit(ctx -> "x", "t1");
    try (LogCapture log = new LogCapture()) {
      // One executor on agent "a" dies with both tasks in flight (the kill -9).
      Attempt a0 = scheduler.nextAttempt("a", "e-1", null).orElseThrow();
      Attempt a1 = scheduler.nextAttempt("a", "e-1", null).orElseThrow();
      assertThat(scheduler.lost(a0, "lost the link to executor e-1")).isTrue();
      assertThat(scheduler.lost(a1, "lost the link to executor e-1")).isTrue();
      assertThat(scheduler.lost(a1, "duplicate")).isFalse();

      assertThat(scheduler.isExcluded("a")).isFalse();
      assertThat(log.linesContaining("excluding agent")).isEmpty();
      // The replacement executor on the same agent takes both again: no preference against "a".
      Attempt b0 = scheduler.nextAttempt("a", "e-2", null).orElseThrow();
      Attempt b1 = scheduler.nextAttempt("a", "e-2", null).orElseThrow();
      assertThat(b0.taskId()).isZero();
      assertThat(b1.taskId()).isEqualTo(1);
      assertThat(scheduler.succeeded(a0, serializer.serialize("stale"))).isFalse();
      scheduler.succeeded(b0, serializer.serialize("r0"));
      scheduler.succeeded(b1, serializer.serialize("r1"));
      assertThat(f0.get()).isEqualTo("r0");
      assertThat(f1.get()).isEqualTo("r1");
    }
  }

  @Test
  void lossesAndFailuresAreCountedApart() {
    TaskFuture<String> f = scheduler.submit(ctx -> "x", "t");
    for (int i = 0; i < 2; i++) {
      scheduler.lost(scheduler.nextAttempt("a" + i, "e" + i, null).orElseThrow(), "executor lost " + i);
    }
    // maxFailures is 3: two losses left all three failures to the task itself.
    for (int i = 0; i < 3; i++) {
      assertThat(f).isNotDone();
      scheduler.failed(scheduler.nextAttempt("b" + i, "f" + i, null).orElseThrow(), "boom " + i, "");
    }
    assertThatThrownBy(f::get).cause().isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("task 0 (t) failed 3 times").hasMessageContaining("boom 2");
  }

  @Test
  void aTaskThatKeepsLosingItsExecutorEndsAfterMaxFailuresLosses() {
    TaskFuture<String> f = scheduler.submit(ctx -> "x", "exits");
    for (int i = 0; i < 3; i++) {
      assertThat(f).isNotDone();
      scheduler.lost(scheduler.nextAttempt("a", "e" + i, null).orElseThrow(), "executor e" + i + " exited with status 256");
    }
    assertThat(scheduler.activeCount()).isZero();
    assertThatThrownBy(f::get).cause().isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("task 0 (exits) lost 3 executors while running")
        .hasMessageContaining("executor e2 exited with status 256");
  }

  @Test
  void theLogSaysWhenAnExclusionTakesEffectAndWhenItDoesNot() {
    for (int i = 0; i < 4; i++) {
      scheduler.submit(ctx -> "x", "t" + i);
    }
    try (LogCapture log = new LogCapture()) {
      // Only agent "bad" has shown up: two failures there cannot exclude it, and the log says so.
      scheduler.failed(scheduler.nextAttempt("bad", "e", null).orElseThrow(), "x", "");
      scheduler.failed(scheduler.nextAttempt("bad", "e", null).orElseThrow(), "x", "");
      assertThat(scheduler.isExcluded("bad")).isFalse();
      assertThat(log.linesContaining("excluding agent")).isEmpty();
      assertThat(log.linesContaining("agent bad: 2 task failures in a row there, but it stays in use")).hasSize(1);

      // Another agent shows up: now the exclusion takes effect, logged once, when it does.
      assertThat(scheduler.isExcluded("good")).isFalse();
      assertThat(scheduler.isExcluded("bad")).isTrue();
      assertThat(scheduler.nextAttempt("bad", "e", null)).isEmpty();
      assertThat(log.linesContaining("excluding agent bad for 1h: 2 task failures in a row")).hasSize(1);
    }
  }

  @Test
  void abortFailsEveryUnfinishedTaskKillsTheRunningAndFailsLaterWorkWithTheSameReason() {
    TaskFuture<String> running = scheduler.submit(ctx -> "x", "running");
    TaskFuture<String> waiting = scheduler.submit(ctx -> "x", "waiting");
    Attempt live = scheduler.nextAttempt("a", "e", null).orElseThrow();
    assertThat(scheduler.abort("the archive is broken")).isTrue();
    assertThat(scheduler.abort("a second reason")).isFalse();
    assertThat(killed).containsExactly(live);
    for (TaskFuture<String> f : List.of(running, waiting, scheduler.submit(ctx -> "x", "later"))) {
      assertThatThrownBy(f::get).cause().isInstanceOf(TaskFailedException.class).hasMessage("the archive is broken");
    }
    assertThat(scheduler.succeeded(live, new byte[0])).isFalse();
    assertThat(scheduler.nextAttempt("a", "e", null)).isEmpty();
    assertThat(scheduler.activeCount()).isZero();
  }
}
