package io.ferry.driver.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.driver.DynamicAllocation;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Elastic coarse mode's target, on a clock the test moves (milliseconds here, nanoseconds inside). */
class ExecutorTargetTest {
  private static final long MS = 1_000_000L;

  private static ExecutorTarget target(int min, OptionalInt max) {
    return new ExecutorTarget(new DynamicAllocation(true, min, max, Duration.ofSeconds(60), Duration.ofSeconds(1),
        Optional.empty()));
  }

  @Test
  void anApplicationWithoutExecutorsGetsOneAtOnceThenGrowsOneTwoFourWhileTheBacklogLasts() {
    ExecutorTarget t = target(0, OptionalInt.empty());
    assertThat(t.update(0, 0, 0, 0, 2)).isFalse();
    assertThat(t.target()).isZero();
    assertThat(t.update(10 * MS, 100, 0, 0, 2)).as("nothing could run them").isTrue();
    assertThat(t.target()).isEqualTo(1);
    assertThat(t.reason()).isEqualTo("100 task(s) waiting and no executor");
    t.update(20 * MS, 98, 2, 1, 2); // the backlog starts counting
    t.update(900 * MS, 98, 2, 1, 2);
    assertThat(t.target()).as("before the backlog timeout").isEqualTo(1);
    assertThat(t.update(1020 * MS, 98, 2, 1, 2)).isTrue();
    assertThat(t.target()).isEqualTo(2);
    assertThat(t.reason()).isEqualTo("a backlog of 98 task(s) for 1.0 s");
    t.update(1500 * MS, 96, 4, 2, 2);
    assertThat(t.target()).as("one timeout between rounds").isEqualTo(2);
    t.update(2020 * MS, 96, 4, 2, 2);
    assertThat(t.target()).isEqualTo(4);
    t.update(3020 * MS, 92, 8, 4, 2);
    assertThat(t.target()).isEqualTo(8);
  }

  @Test
  void growthStopsAtWhatTheBacklogNeedsAndAtMaxExecutors() {
    ExecutorTarget t = target(0, OptionalInt.empty());
    t.update(0, 5, 0, 0, 2);
    t.update(1 * MS, 3, 2, 1, 2);
    for (long ms = 1001; ms < 10_000; ms += 1000) {
      t.update(ms * MS, 3, 2, 1, 2);
    }
    assertThat(t.target()).as("5 tasks at 2 per executor need 3").isEqualTo(3);

    ExecutorTarget capped = target(0, OptionalInt.of(2));
    capped.update(0, 50, 0, 0, 1);
    capped.update(1 * MS, 49, 1, 1, 1);
    for (long ms = 1001; ms < 10_000; ms += 1000) {
      capped.update(ms * MS, 49, 1, 1, 1);
    }
    assertThat(capped.target()).isEqualTo(2);
  }

  /** A backlog that lasts (hours of tasks on a small cluster) keeps the target at its need. */
  @Test
  void aLongBacklogKeepsTheTargetAtItsNeed() {
    ExecutorTarget t = target(0, OptionalInt.empty());
    t.update(0, 100_000, 0, 0, 2);
    for (long ms = 1; ms < 200_000; ms += 200) {
      t.update(ms * MS, 100_000, 4, 2, 2);
      assertThat(t.target()).as("at %d ms", ms).isBetween(1, 50_002);
    }
    assertThat(t.target()).isEqualTo(50_002);
    t.update(200_001 * MS, 10, 4, 2, 2);
    assertThat(t.target()).as("the backlog shrank to 14 tasks, 7 executors' worth").isEqualTo(7);
  }

  @Test
  void withoutABacklogTheTargetFallsToWhatRunsButNeverBelowMinExecutors() {
    ExecutorTarget t = target(1, OptionalInt.empty());
    assertThat(t.target()).isEqualTo(1);
    t.update(0, 40, 0, 1, 1);
    for (long ms = 1; ms < 5000; ms += 500) {
      t.update(ms * MS, 40, 1, 1, 1);
    }
    assertThat(t.target()).isGreaterThan(4);
    t.update(6000 * MS, 0, 3, 8, 1);
    assertThat(t.target()).as("three tasks in flight").isEqualTo(3);
    t.update(7000 * MS, 0, 0, 8, 1);
    assertThat(t.target()).as("minExecutors").isEqualTo(1);
    // A new backlog starts from 1 again, after a full timeout.
    t.update(8000 * MS, 10, 0, 1, 1);
    t.update(8500 * MS, 10, 0, 1, 1);
    assertThat(t.target()).isEqualTo(1);
    t.update(9000 * MS, 10, 0, 1, 1);
    assertThat(t.target()).isEqualTo(2);
  }
}
