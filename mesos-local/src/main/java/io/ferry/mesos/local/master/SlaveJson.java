package io.ferry.mesos.local.master;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.ferry.mesos.local.http.MesosJson;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.Resource;

/**
 * An agent as {@code /master/state} and {@code /master/slaves} show it (Mesos's
 * {@code SlaveWriter} and {@code SlavesWriter}). Its {@code pid} is {@code slave(1)@127.0.0.1:<port>}
 * and its {@code hostname} and {@code port} are where its own endpoints answer. On the master's thread.
 */
final class SlaveJson {

  private SlaveJson() {}

  static JsonObject slave(MasterCore core, MasterCore.AgentRecord a) {
    AgentInfo info = a.info;
    String id = info.getId().getValue();
    JsonObject o = new JsonObject();
    o.addProperty("id", id);
    o.addProperty("hostname", info.getHostname());
    o.addProperty("port", info.getPort());
    o.add("attributes", MesosJson.attributes(info.getAttributesList()));
    o.addProperty("pid", "slave(1)@127.0.0.1:" + info.getPort());
    o.add("registered_time", MesosJson.number(a.registeredTime));
    if (a.reregisteredTime != null) {
      o.add("reregistered_time", MesosJson.number(a.reregisteredTime));
    }
    o.add("resources", MesosJson.resources(info.getResourcesList()));
    o.add("used_resources", MesosJson.resources(Usage.used(core, Optional.of(id), Optional.empty())));
    o.add("offered_resources", MesosJson.resources(Usage.offered(core, Optional.of(id), Optional.empty())));
    o.add("reserved_resources", new JsonObject());
    o.add("unreserved_resources", MesosJson.resources(info.getResourcesList()));
    o.addProperty("active", a.presence == AgentPresence.REGISTERED && a.connected);
    o.addProperty("deactivated", false);
    o.addProperty("version", core.info().getVersion());
    o.add("capabilities", new JsonArray());
    return o;
  }

  /** {@code /master/slaves}: each agent with the {@code *_full} resource lists too; {@code slaveId} selects one. */
  static JsonObject endpoint(MasterCore core, Optional<String> slaveId) {
    JsonArray slaves = new JsonArray();
    for (MasterCore.AgentRecord a : core.agentRecords()) {
      String id = a.info.getId().getValue();
      if (slaveId.isPresent() && !slaveId.get().equals(id)) {
        continue;
      }
      JsonObject o = slave(core, a);
      o.add("reserved_resources_full", new JsonObject());
      o.add("unreserved_resources_full", full(a.info.getResourcesList()));
      o.add("used_resources_full", full(Usage.used(core, Optional.of(id), Optional.empty())));
      o.add("offered_resources_full", full(Usage.offered(core, Optional.of(id), Optional.empty())));
      slaves.add(o);
    }
    JsonObject root = new JsonObject();
    root.add("slaves", slaves);
    root.add("recovered_slaves", new JsonArray());
    return root;
  }

  private static JsonArray full(List<Resource> resources) {
    JsonArray out = new JsonArray();
    resources.forEach(r -> out.add(MesosJson.resourceFull(r)));
    return out;
  }
}
