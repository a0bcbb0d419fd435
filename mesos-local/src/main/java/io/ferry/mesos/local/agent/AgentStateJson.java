package io.ferry.mesos.local.agent;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.ferry.mesos.local.fetcher.SandboxLayout;
import io.ferry.mesos.local.http.BuildInfo;
import io.ferry.mesos.local.http.MesosJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * An agent's {@code /slave(1)/state} as Mesos 1.12's {@code Slave::Http::state} writes it
 * ({@code src/slave/http.cpp}: {@code FrameworkWriter}, {@code ExecutorWriter}): identity and
 * resources, then each framework with its executors (and completed executors), each executor with
 * its sandbox {@code directory}, container ID, resources, {@code tasks}, {@code queued_tasks} and
 * {@code completed_tasks}; then {@code completed_frameworks}. {@code flags} holds what mesos-local
 * has of Mesos's agent flags. Built on the agent's thread from {@link AgentBook}.
 */
final class AgentStateJson {

  private AgentStateJson() {}

  static JsonObject state(AgentCore core, int port, SandboxLayout layout, Map<String, String> flags) {
    AgentInfo info = core.info().orElse(AgentInfo.getDefaultInstance());
    String agentId = info.getId().getValue();
    JsonObject o = new JsonObject();
    BuildInfo.addTo(o);
    o.add("start_time", MesosJson.number(core.startTime()));
    o.addProperty("id", agentId);
    o.addProperty("pid", "slave(1)@127.0.0.1:" + port);
    o.addProperty("hostname", info.getHostname().isEmpty() ? "127.0.0.1" : info.getHostname());
    o.add("capabilities", new JsonArray());
    o.add("resources", MesosJson.resources(info.getResourcesList()));
    o.add("reserved_resources", new JsonObject());
    o.add("unreserved_resources", MesosJson.resources(info.getResourcesList()));
    o.add("reserved_resources_full", new JsonObject());
    JsonArray full = new JsonArray();
    info.getResourcesList().forEach(r -> full.add(MesosJson.resourceFull(r)));
    o.add("unreserved_resources_full", full);
    o.add("reserved_resources_allocated", new JsonObject());
    o.add("unreserved_resources_allocated", MesosJson.resources(allocated(core.book())));
    o.add("resource_providers", new JsonArray());
    o.add("attributes", MesosJson.attributes(info.getAttributesList()));
    o.addProperty("master_hostname", "127.0.0.1");
    JsonObject flagsJson = new JsonObject();
    flags.forEach(flagsJson::addProperty);
    flagsJson.addProperty("port", Integer.toString(port));
    o.add("flags", flagsJson);
    JsonArray frameworks = new JsonArray();
    core.book().frameworks().forEach(f -> frameworks.add(framework(f, agentId, layout)));
    o.add("frameworks", frameworks);
    JsonArray completed = new JsonArray();
    core.book().completedFrameworks().forEach(f -> completed.add(framework(f, agentId, layout)));
    o.add("completed_frameworks", completed);
    return o;
  }

  /** Every live executor's allocation (the {@code unreserved_resources_allocated} of the agent). */
  static List<Resource> allocated(AgentBook book) {
    List<Resource> out = new ArrayList<>();
    book.frameworks().forEach(f -> f.executors.values().forEach(e -> out.addAll(allocated(e))));
    return out;
  }

  /** Mesos's {@code Executor::allocatedResources}: the executor's own, its launched and its queued tasks'. */
  static List<Resource> allocated(AgentBook.Executor e) {
    List<Resource> out = new ArrayList<>(e.info.getResourcesList());
    e.launched.values().forEach(t -> out.addAll(t.info.getResourcesList()));
    e.queued.values().forEach(t -> out.addAll(t.getResourcesList()));
    return out;
  }

  private static JsonObject framework(AgentBook.Framework f, String agentId, SandboxLayout layout) {
    FrameworkInfo info = f.info;
    JsonObject o = new JsonObject();
    o.addProperty("id", info.getId().getValue());
    o.addProperty("name", info.getName());
    o.addProperty("user", info.getUser());
    o.add("failover_timeout", MesosJson.number(info.getFailoverTimeout()));
    o.addProperty("checkpoint", info.getCheckpoint());
    o.addProperty("hostname", info.getHostname());
    if (info.hasPrincipal()) {
      o.addProperty("principal", info.getPrincipal());
    }
    boolean multiRole = info.getCapabilitiesList().stream()
        .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.MULTI_ROLE);
    if (multiRole) {
      JsonArray roles = new JsonArray();
      info.getRolesList().forEach(roles::add);
      o.add("roles", roles);
    } else {
      o.addProperty("role", info.getRole());
    }
    String frameworkId = info.getId().getValue();
    JsonArray executors = new JsonArray();
    f.executors.values().forEach(e -> executors.add(executor(e, frameworkId, agentId, layout)));
    o.add("executors", executors);
    JsonArray completed = new JsonArray();
    f.completedExecutors.forEach(e -> completed.add(executor(e, frameworkId, agentId, layout)));
    o.add("completed_executors", completed);
    return o;
  }

  private static JsonObject executor(AgentBook.Executor e, String frameworkId, String agentId, SandboxLayout layout) {
    JsonObject o = new JsonObject();
    o.addProperty("id", e.info.getExecutorId().getValue());
    o.addProperty("name", e.info.getName());
    o.addProperty("source", e.info.getSource());
    o.addProperty("container", e.containerId);
    o.addProperty("directory",
        layout.sandbox(agentId, frameworkId, e.info.getExecutorId().getValue(), e.containerId).toString());
    o.add("resources", MesosJson.resources(allocated(e)));
    if (e.info.getResourcesCount() > 0) {
      o.addProperty("role", MesosJson.role(e.info.getResourcesList()));
    }
    if (e.info.hasLabels()) {
      o.add("labels", MesosJson.labels(e.info.getLabels()));
    }
    if (e.info.hasType()) {
      o.addProperty("type", e.info.getType().name());
    }
    JsonArray tasks = new JsonArray();
    e.launched.values().forEach(t -> tasks.add(task(t, agentId)));
    o.add("tasks", tasks);
    JsonArray queued = new JsonArray();
    e.queued.values().forEach(t -> queued.add(queuedTask(t, agentId)));
    o.add("queued_tasks", queued);
    JsonArray completed = new JsonArray();
    e.completed.forEach(t -> completed.add(task(t, agentId)));
    o.add("completed_tasks", completed);
    return o;
  }

  /** Mesos's {@code json(JSON::ObjectWriter*, const Task&)} for a task the agent launched. */
  static JsonObject task(AgentBook.Task t, String agentId) {
    TaskInfo info = t.info;
    JsonObject o = new JsonObject();
    o.addProperty("id", info.getTaskId().getValue());
    o.addProperty("name", info.getName());
    o.addProperty("framework_id", t.frameworkId);
    o.addProperty("executor_id", info.hasExecutor() ? info.getExecutor().getExecutorId().getValue() : "");
    o.addProperty("slave_id", agentId);
    o.addProperty("state", t.state.name());
    o.add("resources", MesosJson.resources(info.getResourcesList()));
    o.addProperty("role", MesosJson.role(info.getResourcesList()));
    o.add("statuses", MesosJson.statuses(t.statuses));
    if (info.hasCommand() && info.getCommand().hasUser()) {
      o.addProperty("user", info.getCommand().getUser());
    } else if (info.hasExecutor() && info.getExecutor().getCommand().hasUser()) {
      o.addProperty("user", info.getExecutor().getCommand().getUser());
    }
    if (info.hasLabels()) {
      o.add("labels", MesosJson.labels(info.getLabels()));
    }
    if (info.hasDiscovery()) {
      o.add("discovery", MesosJson.proto(info.getDiscovery()));
    }
    return o;
  }

  /** Mesos's {@code json(JSON::ObjectWriter*, const TaskInfo&)} in {@code src/slave/http.cpp}, for a queued task. */
  static JsonObject queuedTask(TaskInfo t, String agentId) {
    JsonObject o = new JsonObject();
    o.addProperty("id", t.getTaskId().getValue());
    o.addProperty("name", t.getName());
    o.addProperty("slave_id", agentId);
    o.add("resources", MesosJson.resources(t.getResourcesList()));
    o.addProperty("role", MesosJson.role(t.getResourcesList()));
    if (t.hasCommand()) {
      o.add("command", MesosJson.command(t.getCommand()));
    }
    if (t.hasExecutor()) {
      o.addProperty("executor_id", t.getExecutor().getExecutorId().getValue());
    }
    if (t.hasDiscovery()) {
      o.add("discovery", MesosJson.proto(t.getDiscovery()));
    }
    return o;
  }
}
