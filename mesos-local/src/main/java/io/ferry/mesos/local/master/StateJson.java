package io.ferry.mesos.local.master;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.ferry.mesos.local.http.BuildInfo;
import io.ferry.mesos.local.http.MesosJson;
import java.util.Optional;

/**
 * {@code /master/state} (also {@code /state}, {@code /state.json}, {@code /master/state.json}) as
 * Mesos 1.12's {@code Master::ReadOnlyHandler::state} writes it: build fields, the master's
 * identity and leader, the agents ({@link SlaveJson}), the frameworks and completed frameworks
 * ({@link FrameworkJson}) with their tasks, and the empty {@code orphan_tasks} and
 * {@code unregistered_frameworks} Mesos keeps for compatibility. {@code flags} holds Mesos's
 * names for what mesos-local really does. Built on the master's thread.
 */
final class StateJson {

  private StateJson() {}

  static JsonObject state(MasterCore core) {
    JsonObject o = new JsonObject();
    BuildInfo.addTo(o);
    // Mesos writes version, git_*, build_date, build_time, build_user, then start_time.
    o.add("start_time", MesosJson.number(core.startTime()));
    core.electedTime().ifPresent(t -> o.add("elected_time", MesosJson.number(t)));
    o.addProperty("id", core.info().getId());
    o.addProperty("pid", core.info().getPid());
    o.addProperty("hostname", core.info().getHostname());
    o.add("capabilities", new JsonArray());
    long active = core.agentRecords().stream().filter(a -> a.presence == AgentPresence.REGISTERED && a.connected).count();
    long unreachable = core.agentRecords().stream().filter(a -> a.presence == AgentPresence.UNREACHABLE).count();
    o.addProperty("activated_slaves", active);
    o.addProperty("deactivated_slaves", core.agentRecords().size() - active - unreachable);
    o.addProperty("unreachable_slaves", unreachable);
    Optional<String> leader = core.leaderAddress();
    if (leader.isPresent()) {
      o.addProperty("leader", "master@" + leader.get());
      if (core.leading()) {
        JsonObject info = new JsonObject();
        info.addProperty("id", core.info().getId());
        info.addProperty("pid", core.info().getPid());
        info.addProperty("port", core.info().getPort());
        info.addProperty("hostname", core.info().getHostname());
        o.add("leader_info", info);
      }
    }
    JsonObject flags = new JsonObject();
    core.flags().forEach(flags::addProperty);
    o.add("flags", flags);
    JsonArray slaves = new JsonArray();
    core.agentRecords().forEach(a -> slaves.add(SlaveJson.slave(core, a)));
    o.add("slaves", slaves);
    o.add("recovered_slaves", new JsonArray());
    o.add("frameworks", FrameworkJson.frameworks(core, Optional.empty()));
    o.add("completed_frameworks", FrameworkJson.completed(core, Optional.empty()));
    o.add("orphan_tasks", new JsonArray());
    o.add("unregistered_frameworks", new JsonArray());
    return o;
  }
}
