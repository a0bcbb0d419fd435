package io.ferry.mesos.local.master;

import io.ferry.mesos.local.http.MesosJson;
import java.util.ArrayList;
import java.util.List;
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
  /** Every status the master saw, oldest first, without {@code data} (Mesos's {@code Task.statuses}). */
  final List<TaskStatus> statuses = new ArrayList<>();
  boolean resourcesRecovered;

  TaskRecord(String frameworkId, String agentId, TaskInfo info, Resources resources, TaskStatus staging) {
    this.frameworkId = frameworkId;
    this.agentId = agentId;
    this.info = info;
    this.resources = resources;
    this.latest = staging;
    statuses.add(MesosJson.kept(staging));
  }

  /** A new status: the latest, and one more in {@link #statuses}. */
  void update(TaskStatus status) {
    latest = status;
    statuses.add(MesosJson.kept(status));
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
