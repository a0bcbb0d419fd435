package io.ferry.mesos.local.master;

import io.ferry.mesos.local.Timers;
import java.util.ArrayDeque;
import java.util.Deque;
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
  /** Wall-clock seconds of the first SUBSCRIBE, of the last one (equal until it resubscribes), and of its removal (0 before). */
  double registeredTime;
  double reregisteredTime;
  double unregisteredTime;
  /** Tasks whose terminal update was acknowledged (or that ended with the framework), oldest first. */
  final Deque<TaskRecord> completedTasks = new ArrayDeque<>();

  /** Mesos's {@code --max_completed_tasks_per_framework} default. */
  static final int MAX_COMPLETED_TASKS = 1000;

  FrameworkRecord(String id, FrameworkInfo info) {
    this.id = id;
    this.info = info;
  }

  void completed(TaskRecord task) {
    completedTasks.addLast(task);
    while (completedTasks.size() > MAX_COMPLETED_TASKS) {
      completedTasks.removeFirst();
    }
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
