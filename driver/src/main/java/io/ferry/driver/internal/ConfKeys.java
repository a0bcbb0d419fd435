package io.ferry.driver.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** Every {@code ferry.*} key the driver knows, with its default as documentation shows it. */
public final class ConfKeys {

  private ConfKeys() {}

  /** Key to its default, in the order the template lists them. */
  public static final Map<String, String> DEFAULTS;

  static {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("ferry.master", "(required)");
    d.put("ferry.app.name", "ferry-app");
    d.put("ferry.executor.uri", "(env FERRY_EXECUTOR_URI; required for mesos:// and zk:// masters)");
    d.put("ferry.mesos.coarse", "false");
    d.put("ferry.cores.max", "(all offered)");
    d.put("ferry.executor.memory", "1g (local-cluster: 3/4 of an agent when 1g + 384m does not fit one)");
    d.put("ferry.executor.memoryOverhead", "max(384m, 10% of ferry.executor.memory) (local-cluster: the agent's other 1/4"
        + " when the executor memory was derived)");
    d.put("ferry.executor.cores", "fine mode: 1 (local-cluster: what one task leaves of an agent, when less);"
        + " coarse mode: every core an agent offers, one executor per agent");
    d.put("ferry.task.cpus", "1");
    d.put("ferry.mesos.coarse.tasksInFlightPerSlot", "64");
    d.put("ferry.dynamicAllocation.enabled", "true in coarse mode (fine mode is elastic anyway)");
    d.put("ferry.dynamicAllocation.minExecutors", "0");
    d.put("ferry.dynamicAllocation.maxExecutors", "(unbounded: ferry.cores.max is the cap)");
    d.put("ferry.dynamicAllocation.executorIdleTimeout", "60s");
    d.put("ferry.dynamicAllocation.schedulerBacklogTimeout", "1s");
    d.put("ferry.dynamicAllocation.executorMaxLifetime", "(off)");
    d.put("ferry.task.maxFailures", "4");
    d.put("ferry.excludeOnFailure.maxFailuresPerAgent", "2");
    d.put("ferry.excludeOnFailure.timeout", "1h");
    d.put("ferry.driver.host", "(this host's address; 127.0.0.1 for local-cluster)");
    d.put("ferry.driver.bindAddress", "0.0.0.0 (127.0.0.1 for local-cluster)");
    d.put("ferry.driver.port", "0");
    d.put("ferry.driver.advertisedPort", "(the bound port)");
    d.put("ferry.rpc.tls", "false");
    d.put("ferry.rpc.heartbeatInterval", "2s");
    d.put("ferry.rpc.heartbeatTimeout", "10s");
    d.put("ferry.rpc.maxFrameSize", "128m");
    d.put("ferry.rpc.handshakeTimeout", "10s");
    d.put("ferry.rpc.maxPendingHandshakes", "256");
    d.put("ferry.jars", "(none)");
    d.put("ferry.mesos.principal", "(none)");
    d.put("ferry.mesos.secretFile", "(env FERRY_MESOS_SECRET)");
    d.put("ferry.mesos.role", "(none: role *)");
    d.put("ferry.mesos.user", "(the current user)");
    d.put("ferry.mesos.failoverTimeout", "10min");
    d.put("ferry.mesos.checkpoint", "true");
    d.put("ferry.mesos.fetcherCache", "false");
    d.put("ferry.mesos.uris", "(none)");
    d.put("ferry.mesos.executor.docker.image", "(none: executors run from the fetched ferry.executor.uri)");
    d.put("ferry.mesos.executor.docker.forcePullImage", "false");
    d.put("ferry.mesos.executor.home", "(none: executors run from the fetched ferry.executor.uri, which wins when both"
        + " are set)");
    d.put("ferry.mesos.task.labels", "(none)");
    d.put("ferry.mesos.network.name", "(none: the agent's host network)");
    d.put("ferry.mesos.network.labels", "(none)");
    d.put("ferry.mesos.gpus.max", "0");
    d.put("ferry.mesos.constraints", "(none)");
    d.put("ferry.mesos.rejectOfferDuration", "120s");
    d.put("ferry.mesos.registrationTimeout", "30s");
    d.put("ferry.local.dir", "(java.io.tmpdir)/ferry-(user)");
    d.put("ferry.ui.progress", "auto");
    DEFAULTS = java.util.Collections.unmodifiableMap(d);
  }

  /** Keys that look like settings but must not be properties, each with what to do instead. */
  public static final Map<String, String> FORBIDDEN = Map.of(
      "ferry.mesos.secret", "a secret is never taken from a property (process lists and logs show those);"
          + " put it in a file named by ferry.mesos.secretFile, or in env FERRY_MESOS_SECRET");
}
