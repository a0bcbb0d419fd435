package io.ferry.executor.internal;

import java.time.Duration;

/**
 * How the executor spends the agent's shutdown grace period (after which the agent destroys the
 * container): tasks are interrupted at once, given up on at {@link #escalateAfter}, and the
 * process exits at the latest at {@link #exitAfter}, even if some terminal update is still
 * unacknowledged. The margin, a fifth of the grace period between 100 ms and 2 s, is left
 * twice: once for the terminal updates to be sent and acknowledged, once for the JVM to exit.
 *
 * <p>Per-task kills (KILL events) wait the task's kill-policy grace period, by default
 * {@link #DEFAULT_KILL_GRACE} (a KILL's own policy overrides the TaskInfo's).
 */
public record ShutdownPlan(Duration escalateAfter, Duration exitAfter) {

  /** The kill grace period of a task whose KILL and TaskInfo set no kill policy. */
  public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(3);

  static final Duration MIN_MARGIN = Duration.ofMillis(100);
  static final Duration MAX_MARGIN = Duration.ofSeconds(2);

  public static ShutdownPlan forGracePeriod(Duration grace) {
    Duration margin = grace.dividedBy(5);
    if (margin.compareTo(MIN_MARGIN) < 0) {
      margin = MIN_MARGIN;
    } else if (margin.compareTo(MAX_MARGIN) > 0) {
      margin = MAX_MARGIN;
    }
    Duration exit = grace.minus(margin);
    Duration escalate = exit.minus(margin);
    return new ShutdownPlan(escalate.isNegative() ? Duration.ZERO : escalate, exit.isNegative() ? Duration.ZERO : exit);
  }
}
