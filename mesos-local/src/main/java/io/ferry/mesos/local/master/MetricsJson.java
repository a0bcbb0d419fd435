package io.ferry.mesos.local.master;

import com.google.gson.JsonObject;
import io.ferry.mesos.local.http.MesosJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskState;

/**
 * The master's {@code /metrics/snapshot}: Mesos's {@code master/*} names ({@code docs/monitoring.md},
 * {@code src/master/metrics.cpp}) that mesos-local really computes, each a number, sorted by name
 * as Mesos prints them: gauges read from the state now, counters from {@link MasterMetrics}.
 * Metrics of what mesos-local does not have (the event queue, the registrar, operations,
 * per-reason task counters, allocator timings) are absent rather than faked. On the master's thread.
 */
final class MetricsJson {

  private MetricsJson() {}

  static JsonObject snapshot(MasterCore core) {
    Map<String, Double> m = new TreeMap<>();
    m.put("master/elected", core.leading() ? 1.0 : 0.0);
    m.put("master/uptime_secs", Math.max(0, core.now() - core.startTime()));
    int active = 0;
    int unreachable = 0;
    int connected = 0;
    for (MasterCore.AgentRecord a : core.agentRecords()) {
      boolean on = a.presence == AgentPresence.REGISTERED && a.connected;
      active += on ? 1 : 0;
      connected += on ? 1 : 0;
      unreachable += a.presence == AgentPresence.UNREACHABLE ? 1 : 0;
    }
    int agents = core.agentRecords().size();
    m.put("master/slaves_active", (double) active);
    m.put("master/slaves_inactive", (double) (agents - active - unreachable));
    m.put("master/slaves_connected", (double) connected);
    m.put("master/slaves_disconnected", (double) (agents - connected - unreachable));
    m.put("master/slaves_unreachable", (double) unreachable);
    int frameworksConnected = 0;
    for (FrameworkRecord f : core.frameworkRecords()) {
      frameworksConnected += f.connected() ? 1 : 0;
    }
    int frameworks = core.frameworkRecords().size();
    // A framework is active exactly while connected: mesos-local has no DEACTIVATE.
    m.put("master/frameworks_active", (double) frameworksConnected);
    m.put("master/frameworks_inactive", (double) (frameworks - frameworksConnected));
    m.put("master/frameworks_connected", (double) frameworksConnected);
    m.put("master/frameworks_disconnected", (double) (frameworks - frameworksConnected));
    m.put("master/outstanding_offers", (double) core.outstandingOffers().size());
    Map<TaskState, Integer> live = new TreeMap<>();
    for (FrameworkRecord f : core.frameworkRecords()) {
      for (TaskRecord t : core.taskRecords(f.id)) {
        live.merge(t.latest.getState(), 1, Integer::sum);
      }
    }
    for (TaskState s : List.of(TaskState.TASK_STAGING, TaskState.TASK_STARTING, TaskState.TASK_RUNNING,
        TaskState.TASK_KILLING, TaskState.TASK_UNREACHABLE)) {
      m.put("master/tasks_" + s.name().substring("TASK_".length()).toLowerCase(java.util.Locale.ROOT),
          (double) live.getOrDefault(s, 0));
    }
    core.metrics().counters().forEach((name, value) -> m.put("master/" + name, value.doubleValue()));
    List<Resource> total = new ArrayList<>();
    core.agentRecords().forEach(a -> total.addAll(a.info.getResourcesList()));
    List<Resource> used = Usage.used(core, Optional.empty(), Optional.empty());
    JsonObject totals = MesosJson.resources(total);
    JsonObject useds = MesosJson.resources(used);
    for (String r : List.of("cpus", "gpus", "mem", "disk")) {
      double t = totals.get(r).getAsDouble();
      double u = useds.get(r).getAsDouble();
      m.put("master/" + r + "_total", t);
      m.put("master/" + r + "_used", u);
      m.put("master/" + r + "_percent", t == 0 ? 0.0 : u / t);
    }
    JsonObject out = new JsonObject();
    m.forEach((name, value) -> out.add(name, MesosJson.number(value)));
    return out;
  }
}
