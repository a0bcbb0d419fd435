package io.ferry.mesos.local.master;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.mesos.v1.Protos.Filters;

/**
 * The allocator's decline filters, as Mesos keeps them: after a framework declines resources on
 * an agent for a role, those resources, and any subset of them, are not offered to that
 * framework and role on that agent until the filter expires. REVIVE clears them.
 *
 * <p>Confined to the master's thread.
 */
final class OfferFilters {

  /** Mesos's default {@code refuse_seconds}. */
  static final Duration DEFAULT = Duration.ofSeconds(5);
  /** The longest filter Mesos keeps: a year. */
  static final Duration MAX = Duration.ofSeconds(31_536_000);

  private record Key(String frameworkId, String role, String agentId) {}

  private record Filter(Resources resources, long expiresAtNanos) {}

  private final LongSupplier nanoClock;
  private final Map<Key, List<Filter>> filters = new HashMap<>();

  OfferFilters(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /**
   * How long a decline or an ACCEPT's leftover is filtered: the default when unset or negative,
   * capped at a year, and zero (no filter) for 0.
   */
  static Duration refuseDuration(Filters filters) {
    if (filters == null || !filters.hasRefuseSeconds()) {
      return DEFAULT;
    }
    double seconds = filters.getRefuseSeconds();
    if (seconds < 0 || Double.isNaN(seconds)) {
      return DEFAULT;
    }
    if (seconds > MAX.getSeconds()) {
      return MAX;
    }
    return Duration.ofNanos((long) (seconds * 1e9));
  }

  void add(String frameworkId, String role, String agentId, Resources resources, Duration duration) {
    if (duration.isZero() || resources.isEmpty()) {
      return;
    }
    filters.computeIfAbsent(new Key(frameworkId, role, agentId), k -> new ArrayList<>())
        .add(new Filter(resources, nanoClock.getAsLong() + duration.toNanos()));
  }

  /** Whether offering {@code available} would be refused by an unexpired filter. */
  boolean filtered(String frameworkId, String role, String agentId, Resources available) {
    List<Filter> list = filters.get(new Key(frameworkId, role, agentId));
    if (list == null) {
      return false;
    }
    long now = nanoClock.getAsLong();
    list.removeIf(f -> f.expiresAtNanos - now <= 0);
    return list.stream().anyMatch(f -> f.resources.contains(available));
  }

  /** REVIVE: drops the framework's filters for {@code roles}. */
  void clear(String frameworkId, Set<String> roles) {
    filters.keySet().removeIf(k -> k.frameworkId.equals(frameworkId) && roles.contains(k.role));
  }

  void removeFramework(String frameworkId) {
    filters.keySet().removeIf(k -> k.frameworkId.equals(frameworkId));
  }

  void removeAgent(String agentId) {
    filters.keySet().removeIf(k -> k.agentId.equals(agentId));
  }
}
