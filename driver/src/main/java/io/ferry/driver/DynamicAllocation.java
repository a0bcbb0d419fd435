package io.ferry.driver;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Elastic coarse mode: how many executors a coarse-mode application holds, growing with its backlog
 * and shrinking when executors idle. Fine-grained mode is elastic by design (a Mesos task per
 * Ferry task) and ignores these settings.
 *
 * @param enabled {@code ferry.dynamicAllocation.enabled}: {@code false} keeps every executor the
 *     application got until it ends (coarse mode before issue 17)
 * @param minExecutors {@code ferry.dynamicAllocation.minExecutors}: idle executors are not retired
 *     below this many
 * @param maxExecutors {@code ferry.dynamicAllocation.maxExecutors}: the most executors at once;
 *     empty: no limit but {@code ferry.cores.max}
 * @param executorIdleTimeout {@code ferry.dynamicAllocation.executorIdleTimeout}: an executor that
 *     has run no task this long (counted from its registration with the driver) is retired (it
 *     ends its slot task TASK_FINISHED and exits)
 * @param schedulerBacklogTimeout {@code ferry.dynamicAllocation.schedulerBacklogTimeout}: tasks
 *     waiting this long make the driver ask for more executors, 1, 2, 4, ... per further timeout
 *     while the backlog lasts, up to what it needs
 * @param executorMaxLifetime {@code ferry.dynamicAllocation.executorMaxLifetime}: a busy executor
 *     is retired this long after its registration too (it finishes what it runs, gets no new task)
 *     and replaced, so Mesos's allocator can rebalance busy applications; empty: off
 */
public record DynamicAllocation(boolean enabled, int minExecutors, OptionalInt maxExecutors,
    Duration executorIdleTimeout, Duration schedulerBacklogTimeout, Optional<Duration> executorMaxLifetime) {

  /** The most executors at once, {@link Integer#MAX_VALUE} when unbounded. */
  public int maxExecutorsOrUnbounded() {
    return maxExecutors.orElse(Integer.MAX_VALUE);
  }

  @Override
  public String toString() {
    return "DynamicAllocation[enabled=" + enabled + ", minExecutors=" + minExecutors + ", maxExecutors="
        + (maxExecutors.isPresent() ? maxExecutors.getAsInt() : "unbounded") + ", executorIdleTimeout="
        + executorIdleTimeout + ", schedulerBacklogTimeout=" + schedulerBacklogTimeout + ", executorMaxLifetime="
        + executorMaxLifetime.map(Duration::toString).orElse("off") + "]";
  }
}
