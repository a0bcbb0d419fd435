package io.ferry.executor.internal;

import io.ferry.mesos.MesosUuids;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * Builds the executor's TaskStatus values as the agent accepts them: a fresh RFC-4122 uuid each,
 * {@code SOURCE_EXECUTOR}, never {@code TASK_STAGING}, our executor id, and no agent id (the
 * agent fills it in; a wrong one would make it drop the update without an ACK).
 */
final class StatusUpdates {
  /** Mesos shows TaskStatus.message in its UI on one line; keep it short. */
  static final int MAX_MESSAGE = 1000;

  private StatusUpdates() {}

  static TaskStatus of(ExecutorID executor, TaskID task, TaskState state, String message) {
    if (state == TaskState.TASK_STAGING) {
      throw new IllegalArgumentException("an executor never sends TASK_STAGING (task " + task.getValue() + ")");
    }
    TaskStatus.Builder status = TaskStatus.newBuilder().setTaskId(task).setState(state)
        .setSource(TaskStatus.Source.SOURCE_EXECUTOR).setExecutorId(executor).setUuid(MesosUuids.random())
        .setTimestamp(System.currentTimeMillis() / 1000.0);
    if (message != null && !message.isBlank()) {
      status.setMessage(oneLine(message));
    }
    return status.build();
  }

  static String oneLine(String message) {
    String line = message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    return line.length() > MAX_MESSAGE ? line.substring(0, MAX_MESSAGE - 3) + "..." : line;
  }

  static boolean isTerminal(TaskState state) {
    return switch (state) {
      case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_ERROR, TASK_LOST, TASK_DROPPED, TASK_GONE,
          TASK_GONE_BY_OPERATOR -> true;
      default -> false;
    };
  }
}
