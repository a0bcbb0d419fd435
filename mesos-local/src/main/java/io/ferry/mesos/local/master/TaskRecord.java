package io.ferry.mesos.local.master;

import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/** The master's view of one task. Mutable; confined to the master's thread. */
final class TaskRecord {

  final String frameworkId;
  final String agentId;
  final TaskInfo info;
  final Resources resources;
  TaskStatus latest;
  boolean resourcesRecovered;

  TaskRecord(String frameworkId, String agentId, TaskInfo info, Resources resources, TaskStatus staging) {
    this.frameworkId = frameworkId;
    this.agentId = agentId;
    this.info = info;
    this.resources = resources;
    this.latest = staging;
  }

  boolean terminal() {
    return isTerminal(latest.getState());
  }

  static boolean isTerminal(TaskState state) {
    return switch (state) {
      case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_ERROR, TASK_LOST, TASK_DROPPED, TASK_GONE,
          TASK_GONE_BY_OPERATOR -> true;
      default -> false;
    };
  }
}
