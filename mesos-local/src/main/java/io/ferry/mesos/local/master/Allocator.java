package io.ferry.mesos.local.master;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Decides which framework gets which agent's free resources, the way Mesos's hierarchical
 * allocator does, in the parts a framework can observe:
 *
 * <ul>
 *   <li>offers are made in batches: {@link #allocate()} runs every allocation interval (the
 *       master's timer), and at once when a framework is added or activated, on REVIVE, and when
 *       an agent is added;
 *   <li>resources that come back (declined offers, finished tasks, rescinded offers) are only
 *       marked free by {@link #recover}; they wait for the next batch. With one-cpu tasks, this
 *       bounds fine-grained throughput to the free cpus per interval, as on a real cluster;
 *   <li>each agent's whole free amount goes to one framework and role per batch, chosen by
 *       dominant resource fairness (the smallest dominant share first);
 *   <li>decline filters ({@link OfferFilters}) and suppressed roles are honoured; amounts below
 *       Mesos's minimum allocatable resources ({@code cpus:0.01} or {@code mem:32}) are not
 *       offered;
 *   <li>an agent that has GPUs is offered only to frameworks with the {@code GPU_RESOURCES}
 *       capability (Mesos's {@code isCapableOfReceivingAgent} with its default
 *       {@code --filter_gpu_resources}), so that GPU machines are kept for the frameworks that can use
 *       them.
 * </ul>
 *
 * <p>Not thread-safe: confined to the master's thread, which also owns the {@link OfferSink}.
 */
final class Allocator {

  /** Receives the offers of a batch; the master turns each into an OFFERS event. */
  interface OfferSink {
    void offer(String frameworkId, String role, String agentId, Resources resources);
  }

  private static final class AgentSlot {
    final String id;
    Resources total;
    Resources allocated = Resources.EMPTY;
    /** False while partitioned away or restarting: its resources are not offered. */
    boolean active = true;

    AgentSlot(String id, Resources total) {
      this.id = id;
      this.total = total;
    }

    Resources free() {
      return total.minus(allocated);
    }
  }

  private static final class FrameworkSlot {
    final String id;
    final List<String> roles;
    final Set<String> suppressed = new LinkedHashSet<>();
    /** FrameworkInfo capability GPU_RESOURCES: may be offered agents that have GPUs. */
    final boolean gpuCapable;
    boolean active = true;
    /** Per agent: ranges and sets are only meaningful on one agent (every agent has ports 31000-32000). */
    final Map<String, Resources> allocated = new TreeMap<>();

    double scalar(String name) {
      return allocated.values().stream().mapToDouble(r -> r.scalar(name)).sum();
    }

    FrameworkSlot(String id, List<String> roles, boolean gpuCapable) {
      this.id = id;
      this.roles = List.copyOf(roles);
      this.gpuCapable = gpuCapable;
    }
  }

  private final Map<String, AgentSlot> agents = new TreeMap<>();
  private final Map<String, FrameworkSlot> frameworks = new TreeMap<>();
  private final OfferFilters filters;
  private final OfferSink sink;

  Allocator(LongSupplier nanoClock, OfferSink sink) {
    this.filters = new OfferFilters(nanoClock);
    this.sink = sink;
  }

  void addAgent(String agentId, Resources total) {
    if (agents.putIfAbsent(agentId, new AgentSlot(agentId, total)) != null) {
      throw new IllegalStateException("agent " + agentId + " is already known");
    }
    allocate();
  }

  /** Partitioned away or restarting: nothing of the agent is offered until it is active again. */
  void deactivateAgent(String agentId) {
    agent(agentId).active = false;
  }

  /** A partition healed: the agent is offered at once, as an agent joining is. */
  void activateAgent(String agentId) {
    agent(agentId).active = true;
    allocate();
  }

  /**
   * A restarted agent reregistered: as Mesos's {@code activateSlave} for an agent whose resources
   * did not change, it is offered from the next allocation batch, not at once.
   */
  void reactivateAgent(String agentId) {
    agent(agentId).active = true;
  }

  void removeAgent(String agentId) {
    agents.remove(agentId);
    filters.removeAgent(agentId);
  }

  /** A framework without the {@code GPU_RESOURCES} capability. */
  void addFramework(String frameworkId, List<String> roles, Set<String> suppressedRoles) {
    addFramework(frameworkId, roles, suppressedRoles, false);
  }

  /** @param gpuCapable the framework has the {@code GPU_RESOURCES} capability */
  void addFramework(String frameworkId, List<String> roles, Set<String> suppressedRoles, boolean gpuCapable) {
    FrameworkSlot slot = new FrameworkSlot(frameworkId, roles, gpuCapable);
    slot.suppressed.addAll(suppressedRoles);
    if (frameworks.putIfAbsent(frameworkId, slot) != null) {
      throw new IllegalStateException("framework " + frameworkId + " is already known");
    }
    allocate();
  }

  /** A disconnected framework gets no offers until it is activated again. */
  void deactivateFramework(String frameworkId) {
    framework(frameworkId).active = false;
  }

  void activateFramework(String frameworkId) {
    framework(frameworkId).active = true;
    allocate();
  }

  void removeFramework(String frameworkId) {
    frameworks.remove(frameworkId);
    filters.removeFramework(frameworkId);
  }

  /** SUPPRESS; an empty set means all the framework's roles. */
  void suppress(String frameworkId, Set<String> roles) {
    FrameworkSlot f = framework(frameworkId);
    f.suppressed.addAll(roles.isEmpty() ? f.roles : roles);
  }

  /** REVIVE: unsuppresses, clears the roles' filters, and allocates at once. */
  void revive(String frameworkId, Set<String> roles) {
    FrameworkSlot f = framework(frameworkId);
    Set<String> which = roles.isEmpty() ? Set.copyOf(f.roles) : roles;
    f.suppressed.removeAll(which);
    filters.clear(frameworkId, which);
    allocate();
  }

  /** Resources leave the free pool: offered, or used by a task or executor. */
  void allocated(String frameworkId, String agentId, Resources resources) {
    AgentSlot a = agent(agentId);
    a.allocated = a.allocated.plus(resources);
    FrameworkSlot f = frameworks.get(frameworkId);
    if (f != null) {
      f.allocated.merge(agentId, resources, Resources::plus);
    }
  }

  /**
   * Resources come back (an offer declined, rescinded or partly used; a task or executor ended),
   * optionally with a filter. They are offered again at the next batch, not now.
   */
  void recover(String frameworkId, String role, String agentId, Resources resources, Duration filter) {
    AgentSlot a = agents.get(agentId);
    if (a != null) {
      a.allocated = a.allocated.minus(resources);
    }
    FrameworkSlot f = frameworks.get(frameworkId);
    if (f != null) {
      Resources onAgent = f.allocated.getOrDefault(agentId, Resources.EMPTY);
      f.allocated.put(agentId, onAgent.contains(resources) ? onAgent.minus(resources) : Resources.EMPTY);
    }
    if (a != null && f != null) {
      filters.add(frameworkId, role, agentId, resources, filter);
    }
  }

  /** One batch: every agent's free resources to the neediest framework and role that will take them. */
  void allocate() {
    Resources cluster = agents.values().stream().map(a -> a.total).reduce(Resources.EMPTY, Resources::plus);
    for (AgentSlot agent : agents.values()) {
      if (!agent.active) {
        continue;
      }
      Resources free = agent.free();
      if (!allocatable(free)) {
        continue;
      }
      boolean hasGpus = agent.total.scalar("gpus") > 0;
      for (Candidate c : candidates(cluster)) {
        if (hasGpus && !c.framework.gpuCapable) {
          continue; // Mesos's isCapableOfReceivingAgent
        }
        if (filters.filtered(c.framework.id, c.role, agent.id, free)) {
          continue;
        }
        allocated(c.framework.id, agent.id, free);
        sink.offer(c.framework.id, c.role, agent.id, free);
        break;
      }
    }
  }

  private record Candidate(FrameworkSlot framework, String role, double share) {}

  private List<Candidate> candidates(Resources cluster) {
    List<Candidate> out = new ArrayList<>();
    for (FrameworkSlot f : frameworks.values()) {
      if (!f.active) {
        continue;
      }
      double share = dominantShare(f, cluster);
      for (String role : f.roles) {
        if (!f.suppressed.contains(role)) {
          out.add(new Candidate(f, role, share));
        }
      }
    }
    out.sort(Comparator.comparingDouble(Candidate::share)
        .thenComparing(c -> c.framework.id).thenComparing(Candidate::role));
    return out;
  }

  private static double dominantShare(FrameworkSlot f, Resources cluster) {
    double share = 0;
    for (String name : List.of("cpus", "mem", "disk", "gpus")) {
      double total = cluster.scalar(name);
      if (total > 0) {
        share = Math.max(share, f.scalar(name) / total);
      }
    }
    return share;
  }

  /** Mesos's default {@code --min_allocatable_resources}: {@code cpus:0.01|mem:32}. */
  static boolean allocatable(Resources free) {
    return free.scalar("cpus") >= 0.01 || free.scalar("mem") >= 32;
  }

  private FrameworkSlot framework(String id) {
    FrameworkSlot f = frameworks.get(id);
    if (f == null) {
      throw new IllegalStateException("unknown framework " + id);
    }
    return f;
  }

  private AgentSlot agent(String id) {
    AgentSlot a = agents.get(id);
    if (a == null) {
      throw new IllegalStateException("unknown agent " + id);
    }
    return a;
  }
}
