package io.ferry.driver.scheduling;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Keeps agents that keep failing tasks out of scheduling for a while
 * ({@code ferry.excludeOnFailure.maxFailuresPerAgent}, {@code ferry.excludeOnFailure.timeout}).
 * A success on an agent clears its count. Not thread-safe: used under the scheduler's lock.
 */
final class AgentExclusion {
  private final int maxFailures;
  private final long timeoutNanos;
  private final LongSupplier clock;
  private final Map<String, Integer> failures = new HashMap<>();
  private final Map<String, Long> excludedUntil = new HashMap<>();

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
}
