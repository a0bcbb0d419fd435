package io.ferry.mesos.local.master;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Resource;

/**
 * What the state endpoints show as used and offered: live tasks (until their resources return)
 * plus their executors, and outstanding offers, per agent and per framework, as Mesos's
 * {@code Slave::usedResources}/{@code offeredResources} and {@code Framework::totalUsedResources}/
 * {@code totalOfferedResources} keep them. On the master's thread.
 */
final class Usage {

  private Usage() {}

  /** Used on {@code agentId} (any framework when {@code frameworkId} is empty), as resource protos. */
  static List<Resource> used(MasterCore core, Optional<String> agentId, Optional<String> frameworkId) {
    List<Resource> out = new ArrayList<>();
    for (FrameworkRecord f : core.frameworkRecords()) {
      if (frameworkId.isPresent() && !frameworkId.get().equals(f.id)) {
        continue;
      }
      for (TaskRecord t : core.taskRecords(f.id)) {
        if (!t.resourcesRecovered && agentId.map(t.agentId::equals).orElse(true)) {
          out.addAll(t.info.getResourcesList());
        }
      }
    }
    for (MasterCore.AgentRecord a : core.agentRecords()) {
      if (agentId.isPresent() && !agentId.get().equals(a.info.getId().getValue())) {
        continue;
      }
      for (Map.Entry<String, Map<String, ExecutorInfo>> byFramework : a.executors.entrySet()) {
        if (frameworkId.map(byFramework.getKey()::equals).orElse(true)) {
          byFramework.getValue().values().forEach(e -> out.addAll(e.getResourcesList()));
        }
      }
    }
    return out;
  }

  /** Offered on {@code agentId} / to {@code frameworkId} (either may be empty: any). */
  static List<Resource> offered(MasterCore core, Optional<String> agentId, Optional<String> frameworkId) {
    List<Resource> out = new ArrayList<>();
    for (OfferRecord o : core.outstandingOffers()) {
      if (agentId.map(o.agentId()::equals).orElse(true) && frameworkId.map(o.frameworkId()::equals).orElse(true)) {
        out.addAll(o.resources().toProtos(Optional.of(o.role())));
      }
    }
    return out;
  }
}
