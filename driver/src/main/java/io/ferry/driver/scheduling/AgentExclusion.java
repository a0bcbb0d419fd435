package io.ferry.driver.scheduling;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps agents that keep failing tasks out of scheduling for a while
 * ({@code ferry.excludeOnFailure.maxFailuresPerAgent}, {@code ferry.excludeOnFailure.timeout}).
 * A success on an agent clears its count. An agent is only avoided while some other agent that
 * has shown up is not: excluding every agent would stall the job instead of failing it. Every
 * change of what is avoided is logged once, when it takes effect, so the log says what the
 * scheduler does. Not thread-safe: used under the scheduler's lock (log lines are handed out as
 * notices, written after the lock is released).
 */
final class AgentExclusion {
  private static final Logger log = LoggerFactory.getLogger(TaskScheduler.class);

  private final int maxFailures;
  private final long timeoutNanos;
  private final LongSupplier clock;
  private final Map<String, Integer> failures = new HashMap<>();
  private final Map<String, Long> excludedUntil = new HashMap<>();
  /** Agents avoided now, as last logged. */
  private final Set<String> avoided = new HashSet<>();

  AgentExclusion(int maxFailures, Duration timeout, LongSupplier clock) {
    this.maxFailures = maxFailures;
    this.timeoutNanos = timeout.toNanos();
    this.clock = clock;
  }

  /** @return true when this failure put the agent on the exclusion list */
  boolean failed(String agentId) {
    int count = failures.merge(agentId, 1, Integer::sum);
    if (count >= maxFailures) {
      failures.remove(agentId);
      excludedUntil.put(agentId, clock.getAsLong() + timeoutNanos);
      return true;
    }
    return false;
  }

  void succeeded(String agentId) {
    failures.remove(agentId);
  }

  boolean isExcluded(String agentId) {
    Long until = excludedUntil.get(agentId);
    if (until == null) {
      return false;
    }
    if (clock.getAsLong() - until >= 0) {
      excludedUntil.remove(agentId);
      return false;
    }
    return true;
  }

  /**
   * Whether tasks should avoid this agent now, adding a log line to {@code notices} when that
   * changes: an exclusion taking effect, ending, or lapsing because no other agent is usable.
   */
  boolean avoid(String agentId, Set<String> agentsSeen, List<Runnable> notices) {
    boolean excluded = isExcluded(agentId) && anotherAgentUsable(agentId, agentsSeen);
    if (excluded && avoided.add(agentId)) {
      // What is left of it: an exclusion may take effect only later, when another agent shows up.
      long left = Math.max(0, excludedUntil.get(agentId) - clock.getAsLong());
      String timeout = human(Duration.ofSeconds((left + 999_999_999L) / 1_000_000_000L));
      notices.add(() -> log.warn("excluding agent {} for {}: {} task failures in a row there; its offers are"
          + " declined until then (ferry.excludeOnFailure.*)", agentId, timeout, maxFailures));
    } else if (!excluded && avoided.remove(agentId)) {
      String why = isExcluded(agentId)
          ? "no other agent is usable (excluding every agent would stall the job)" : "its exclusion ended";
      notices.add(() -> log.info("agent {} is used again: {}", agentId, why));
    }
    return excluded;
  }

  private boolean anotherAgentUsable(String agentId, Set<String> agentsSeen) {
    for (String other : agentsSeen) {
      if (!other.equals(agentId) && !isExcluded(other)) {
        return true;
      }
    }
    return false;
  }

  /** {@code 1h}, {@code 10min}, {@code 30s}, {@code 250ms}: the way the settings are written. */
  static String human(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "min";
    }
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
