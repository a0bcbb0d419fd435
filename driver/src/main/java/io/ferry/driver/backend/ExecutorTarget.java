package io.ferry.driver.backend;

import io.ferry.driver.DynamicAllocation;

/**
 * Elastic coarse mode's target: how many executors the application wants now. Not thread-safe:
 * the {@link CoarseGrainedBackend} calls it under its lock, with the time passed in (tests use
 * their own clock).
 *
 * <h2>Growing</h2>
 * As Spark's dynamic allocation does: once tasks have waited {@code schedulerBacklogTimeout}
 * (1 s), the target grows by 1; while the backlog lasts, by 2 a timeout later, then 4, 8, ...
 * never beyond what the backlog needs (its tasks over the cores of an executor) nor
 * {@code maxExecutors}. One difference: an application with no executor at all gets one at once,
 * since nothing could run its waiting tasks (Spark waits the timeout there too).
 *
 * <h2>Shrinking</h2>
 * The target never exceeds what the tasks waiting and in flight need (with no backlog: what the
 * tasks in flight need), never below
 * {@code minExecutors}; the executors beyond it are not stopped here but retire when they have
 * idled for {@code executorIdleTimeout} ({@link CoarseGrainedBackend}).
 */
final class ExecutorTarget {
  private final DynamicAllocation settings;
  private int target;
  private int toAdd = 1;
  /** When the current backlog began ({@code -1}: no backlog). */
  private long backlogSince = -1;
  /** When the target may grow next while the backlog lasts. */
  private long nextGrowthAt;
  /** Why the target last grew, for the launch log. */
  private String reason = "";

  ExecutorTarget(DynamicAllocation settings) {
    this.settings = settings;
    this.target = settings.minExecutors();
  }

  /** Executors wanted now. */
  int target() {
    return target;
  }

  /** Why the target last grew ("a backlog of 12 tasks for 1.0 s"). */
  String reason() {
    return reason;
  }

  /**
   * Updates the target.
   *
   * @param now {@link System#nanoTime()} or a test's clock
   * @param waiting tasks waiting for a slot
   * @param inFlight tasks sent to executors and not yet answered
   * @param executors executors live or starting that take tasks (retiring ones not counted)
   * @param tasksPerExecutor tasks one executor runs at once (its slots over {@code ferry.task.cpus})
   * @return whether the target grew
   */
  boolean update(long now, int waiting, int inFlight, int executors, int tasksPerExecutor) {
    int needed = needed(waiting + inFlight, tasksPerExecutor);
    if (waiting == 0) {
      backlogSince = -1;
      toAdd = 1;
      target = clamp(needed);
      return false;
    }
    int before = target;
    if (target > needed) { // the backlog shrank: so does the target (executors beyond it retire when idle)
      target = clamp(needed);
      toAdd = 1;
    }
    if (executors == 0 && target == 0) {
      target = clamp(1);
      reason = waiting + " task(s) waiting and no executor";
    } else if (backlogSince < 0) {
      backlogSince = now;
      nextGrowthAt = now + settings.schedulerBacklogTimeout().toNanos();
    } else if (now - nextGrowthAt >= 0) {
      long wanted = (long) Math.max(target, executors) + toAdd;
      int ceiling = Math.max(needed, target);
      int grown = clamp((int) Math.min(wanted, ceiling));
      reason = "a backlog of " + waiting + " task(s) for " + seconds(now - backlogSince) + " s";
      target = grown;
      // As Spark: double the step while growing; back to 1 once the need is reached.
      toAdd = wanted >= ceiling ? 1 : toAdd * 2;
      nextGrowthAt = now + settings.schedulerBacklogTimeout().toNanos();
    }
    return target > before;
  }

  /** Executors {@code tasks} need at {@code tasksPerExecutor} each. */
  private static int needed(int tasks, int tasksPerExecutor) {
    int per = Math.max(1, tasksPerExecutor);
    return (int) Math.min(((long) tasks + per - 1) / per, Integer.MAX_VALUE);
  }

  private int clamp(int executors) {
    return Math.max(settings.minExecutors(), Math.min(executors, settings.maxExecutorsOrUnbounded()));
  }

  private static String seconds(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e9);
  }
}
