package io.ferry.mesos.local.master;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Map;
import org.apache.mesos.v1.Protos.AgentInfo;

/**
 * A {@code /state}-style JSON view of the master, shaped after Mesos's (frameworks with their
 * tasks, agents with their resources) for people and tests. Built on the master's thread. It
 * carries no {@code TaskInfo.data} and no environment: launch tokens and other secrets travel
 * there and must never show in a state endpoint.
 */
final class MasterState {

  private MasterState() {}

  static String json(MasterCore core) {
    JsonObject root = new JsonObject();
    root.addProperty("id", core.info().getId());
    root.addProperty("hostname", core.info().getHostname());
    root.addProperty("version", core.info().getVersion());
    JsonArray agents = new JsonArray();
    for (Map.Entry<AgentInfo, AgentPresence> e : core.agentInfos().entrySet()) {
      JsonObject a = new JsonObject();
      a.addProperty("id", e.getKey().getId().getValue());
      a.addProperty("hostname", e.getKey().getHostname());
      a.addProperty("port", e.getKey().getPort());
      a.addProperty("state", e.getValue().name());
      a.addProperty("resources", Resources.of(e.getKey().getResourcesList()).toString());
      agents.add(a);
    }
    root.add("slaves", agents);
    JsonArray frameworks = new JsonArray();
    for (FrameworkRecord f : core.frameworkRecords()) {
      JsonObject fo = new JsonObject();
      fo.addProperty("id", f.id);
      fo.addProperty("name", f.info.getName());
      fo.addProperty("user", f.info.getUser());
      fo.addProperty("connected", f.connected());
      fo.addProperty("active", f.connected());
      fo.addProperty("failover_timeout", f.info.getFailoverTimeout());
      JsonArray tasks = new JsonArray();
      for (TaskRecord t : core.taskRecords(f.id)) {
        JsonObject to = new JsonObject();
        to.addProperty("id", t.info.getTaskId().getValue());
        to.addProperty("name", t.info.getName());
        to.addProperty("slave_id", t.agentId);
        to.addProperty("state", t.latest.getState().name());
        if (t.info.hasExecutor()) {
          to.addProperty("executor_id", t.info.getExecutor().getExecutorId().getValue());
        }
        to.addProperty("resources", t.resources.toString());
        tasks.add(to);
      }
      fo.add("tasks", tasks);
      frameworks.add(fo);
    }
    root.add("frameworks", frameworks);
    JsonArray removed = new JsonArray();
    core.removedFrameworkIds().forEach(removed::add);
    root.add("completed_framework_ids", removed);
    return root.toString();
  }
}
