package io.ferry.mesos.local.agent;

import com.google.gson.JsonObject;
import io.ferry.mesos.local.http.MesosJson;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.TaskState;

/**
 * An agent's {@code /metrics/snapshot}: the {@code slave/*} metrics of Mesos
 * ({@code src/slave/metrics.cpp}, {@code docs/monitoring.md}) that mesos-local computes, sorted by
 * name: uptime, registration, executors and tasks by state, the task and update counters, and
 * resources total/used/percent. Absent rather than faked: recovery timings, preemption,
 * container-level statistics. On the agent's thread.
 */
final class AgentMetricsJson {

  private AgentMetricsJson() {}

  static JsonObject snapshot(AgentCore core) {
    Map<String, Double> m = new TreeMap<>();
    m.put("slave/uptime_secs", Math.max(0, core.now() - core.startTime()));
    m.put("slave/registered", core.info().isPresent() && core.phase() == AgentCore.Phase.RUNNING ? 1.0 : 0.0);
    m.put("slave/executors_registering", (double) core.executorsIn(ExecutorState.REGISTERING));
    m.put("slave/executors_running", (double) core.executorsIn(ExecutorState.RUNNING));
    m.put("slave/executors_terminating", (double) core.executorsIn(ExecutorState.TERMINATING));
    m.put("slave/frameworks_active", (double) core.book().frameworks().size());
    Map<TaskState, Integer> live = new TreeMap<>();
    for (AgentBook.Framework f : core.book().frameworks()) {
      for (AgentBook.Executor e : f.executors.values()) {
        live.merge(TaskState.TASK_STAGING, e.queued.size(), Integer::sum);
        e.launched.values().forEach(t -> live.merge(t.state, 1, Integer::sum));
      }
    }
    for (TaskState s : List.of(TaskState.TASK_STAGING, TaskState.TASK_STARTING, TaskState.TASK_RUNNING,
        TaskState.TASK_KILLING)) {
      m.put("slave/tasks_" + s.name().substring("TASK_".length()).toLowerCase(java.util.Locale.ROOT),
          (double) live.getOrDefault(s, 0));
    }
    core.book().metrics().counters().forEach((name, value) -> m.put("slave/" + name, value.doubleValue()));
    AgentInfo info = core.info().orElse(AgentInfo.getDefaultInstance());
    JsonObject total = MesosJson.resources(info.getResourcesList());
    JsonObject used = MesosJson.resources(AgentStateJson.allocated(core.book()));
    for (String r : List.of("cpus", "gpus", "mem", "disk")) {
      double t = total.get(r).getAsDouble();
      double u = used.get(r).getAsDouble();
      m.put("slave/" + r + "_total", t);
      m.put("slave/" + r + "_used", u);
      m.put("slave/" + r + "_percent", t == 0 ? 0.0 : u / t);
    }
    JsonObject out = new JsonObject();
    m.forEach((name, value) -> out.add(name, MesosJson.number(value)));
    return out;
  }
}
