package io.ferry.mesos.local.master;

import io.ferry.mesos.local.Timers;
import java.util.List;
import org.apache.mesos.v1.Protos.FrameworkInfo;

/** The master's view of one framework. Mutable; confined to the master's thread. */
final class FrameworkRecord {

  final String id;
  FrameworkInfo info;
  FrameworkStream stream;
  String streamId;
  Timers.Cancellable heartbeat;
  Timers.Cancellable failover;

  FrameworkRecord(String id, FrameworkInfo info) {
    this.id = id;
    this.info = info;
  }

  boolean connected() {
    return stream != null;
  }

  /** {@code roles} with MULTI_ROLE, else the deprecated {@code role} (default {@code *}). */
  List<String> roles() {
    if (hasCapability(FrameworkInfo.Capability.Type.MULTI_ROLE)) {
      return List.copyOf(info.getRolesList());
    }
    return List.of(info.hasRole() ? info.getRole() : "*");
  }

  boolean hasCapability(FrameworkInfo.Capability.Type type) {
    return info.getCapabilitiesList().stream().anyMatch(c -> c.getType() == type);
  }

  boolean partitionAware() {
    return hasCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE);
  }
}
