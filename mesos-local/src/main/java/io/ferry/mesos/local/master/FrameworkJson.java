package io.ferry.mesos.local.master;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.ferry.mesos.local.http.MesosJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskState;

/**
 * A framework as {@code /master/state} and {@code /master/frameworks} show it (Mesos's
 * {@code FullFrameworkWriter} in {@code src/master/readonly_handler.cpp}), and
 * {@code /master/frameworks} itself. On the master's thread.
 */
final class FrameworkJson {

  private FrameworkJson() {}

  static JsonObject full(MasterCore core, FrameworkRecord f, boolean completed) {
    FrameworkInfo info = f.info;
    Optional<String> id = Optional.of(f.id);
    List<Resource> used = completed ? List.of() : Usage.used(core, Optional.empty(), id);
    List<Resource> offered = completed ? List.of() : Usage.offered(core, Optional.empty(), id);
    JsonObject o = new JsonObject();
    // Summary<Framework>; no "pid": HTTP frameworks have none.
    o.addProperty("id", f.id);
    o.addProperty("name", info.getName());
    o.add("used_resources", MesosJson.resources(used));
    o.add("offered_resources", MesosJson.resources(offered));
    JsonArray capabilities = new JsonArray();
    info.getCapabilitiesList().forEach(c -> capabilities.add(c.getType().name()));
    o.add("capabilities", capabilities);
    o.addProperty("hostname", info.getHostname());
    o.addProperty("webui_url", info.getWebuiUrl());
    boolean connected = !completed && f.connected();
    o.addProperty("active", connected);
    o.addProperty("connected", connected);
    o.addProperty("recovered", false);
    // FullFrameworkWriter's own fields.
    o.addProperty("user", info.getUser());
    o.add("failover_timeout", MesosJson.number(info.getFailoverTimeout()));
    o.addProperty("checkpoint", info.getCheckpoint());
    o.add("registered_time", MesosJson.number(f.registeredTime));
    o.add("unregistered_time", MesosJson.number(f.unregisteredTime));
    if (info.hasPrincipal()) {
      o.addProperty("principal", info.getPrincipal());
    }
    List<Resource> both = new ArrayList<>(used);
    both.addAll(offered);
    o.add("resources", MesosJson.resources(both));
    if (f.registeredTime != f.reregisteredTime) {
      o.add("reregistered_time", MesosJson.number(f.reregisteredTime));
    }
    if (f.hasCapability(FrameworkInfo.Capability.Type.MULTI_ROLE)) {
      JsonArray roles = new JsonArray();
      info.getRolesList().forEach(roles::add);
      o.add("roles", roles);
    } else {
      o.addProperty("role", info.getRole());
    }
    JsonArray tasks = new JsonArray();
    JsonArray unreachable = new JsonArray();
    if (!completed) {
      for (TaskRecord t : core.taskRecords(f.id)) {
        (t.latest.getState() == TaskState.TASK_UNREACHABLE ? unreachable : tasks).add(TaskJson.task(t));
      }
    }
    o.add("tasks", tasks);
    o.add("unreachable_tasks", unreachable);
    JsonArray completedTasks = new JsonArray();
    f.completedTasks.forEach(t -> completedTasks.add(TaskJson.task(t)));
    o.add("completed_tasks", completedTasks);
    JsonArray offers = new JsonArray();
    JsonArray executors = new JsonArray();
    if (!completed) {
      for (OfferRecord offer : core.outstandingOffers()) {
        if (offer.frameworkId().equals(f.id)) {
          offers.add(offer(offer));
        }
      }
      for (MasterCore.AgentRecord a : core.agentRecords()) {
        for (ExecutorInfo e : a.executors.getOrDefault(f.id, Map.of()).values()) {
          JsonObject eo = MesosJson.executorInfo(e);
          eo.addProperty("slave_id", a.info.getId().getValue());
          executors.add(eo);
        }
      }
    }
    o.add("offers", offers);
    o.add("executors", executors);
    if (info.hasLabels()) {
      o.add("labels", MesosJson.labels(info.getLabels()));
    }
    o.add("offer_constraints", new JsonObject());
    return o;
  }

  /** Mesos's {@code json(JSON::ObjectWriter*, const Offer&)}. */
  static JsonObject offer(OfferRecord offer) {
    JsonObject o = new JsonObject();
    o.addProperty("id", offer.id());
    o.addProperty("framework_id", offer.frameworkId());
    JsonObject allocation = new JsonObject();
    allocation.addProperty("role", offer.role());
    o.add("allocation_info", allocation);
    o.addProperty("slave_id", offer.agentId());
    o.add("resources", MesosJson.resources(offer.resources().toProtos(Optional.of(offer.role()))));
    return o;
  }

  /** Registered frameworks, then the completed ones; {@code frameworkId} selects one. */
  static JsonArray frameworks(MasterCore core, Optional<String> frameworkId) {
    JsonArray out = new JsonArray();
    for (FrameworkRecord f : core.frameworkRecords()) {
      if (frameworkId.map(f.id::equals).orElse(true)) {
        out.add(full(core, f, false));
      }
    }
    return out;
  }

  static JsonArray completed(MasterCore core, Optional<String> frameworkId) {
    JsonArray out = new JsonArray();
    for (FrameworkRecord f : core.completedFrameworkRecords()) {
      if (frameworkId.map(f.id::equals).orElse(true)) {
        out.add(full(core, f, true));
      }
    }
    return out;
  }

  /** {@code /master/frameworks}. */
  static JsonObject endpoint(MasterCore core, Optional<String> frameworkId) {
    JsonObject root = new JsonObject();
    root.add("frameworks", frameworks(core, frameworkId));
    root.add("completed_frameworks", completed(core, frameworkId));
    root.add("unregistered_frameworks", new JsonArray());
    return root;
  }
}
