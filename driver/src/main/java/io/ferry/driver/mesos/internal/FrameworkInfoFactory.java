package io.ferry.driver.mesos.internal;

import io.ferry.driver.mesos.SchedulerLinkConfig;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo.Capability;

/** The FrameworkInfo a link subscribes with: the configured fields plus the capabilities Ferry relies on. */
public final class FrameworkInfoFactory {

  private FrameworkInfoFactory() {}

  /**
   * @param id the framework's ID once Mesos gave one (every resubscription carries it), else null
   */
  public static FrameworkInfo create(SchedulerLinkConfig config, FrameworkID id) {
    FrameworkInfo.Builder info = FrameworkInfo.newBuilder()
        .setName(config.frameworkName())
        .setUser(config.user())
        .setCheckpoint(config.checkpoint())
        .setFailoverTimeout(config.failoverTimeout().toMillis() / 1000.0)
        // Executors report TASK_KILLING; unreachable agents give TASK_UNREACHABLE/TASK_GONE, not TASK_LOST.
        .addCapabilities(capability(Capability.Type.TASK_KILLING_STATE))
        .addCapabilities(capability(Capability.Type.PARTITION_AWARE));
    config.principal().ifPresent(info::setPrincipal);
    config.hostname().ifPresent(info::setHostname);
    if (!config.roles().isEmpty()) {
      info.addAllRoles(config.roles()).addCapabilities(capability(Capability.Type.MULTI_ROLE));
    }
    if (config.gpuResources()) {
      // Mesos offers agents with GPUs only to frameworks that say they can use them.
      info.addCapabilities(capability(Capability.Type.GPU_RESOURCES));
    }
    FrameworkID known = id != null ? id : config.frameworkId().orElse(null);
    if (known != null) {
      info.setId(known);
    }
    return info.build();
  }

  private static Capability capability(Capability.Type type) {
    return Capability.newBuilder().setType(type).build();
  }
}
