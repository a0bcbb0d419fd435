package io.ferry.driver.backend;

import java.util.EnumSet;
import java.util.Set;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;

/**
 * Whether a terminal Mesos status means the task's executor or agent went away under it (a loss,
 * {@code TaskScheduler.lost}: not the task's fault, no failure counted, the agent not blamed) or
 * the task itself failed ({@code TaskScheduler.failed}). Spark draws the same line with its
 * {@code ExecutorLostFailure(exitCausedByApp = false)}.
 */
final class TaskEnds {
  /** States Mesos uses when it lost track of a task with its agent (partition-aware or not). */
  private static final Set<TaskState> LOST_STATES = EnumSet.of(TaskState.TASK_LOST, TaskState.TASK_GONE,
      TaskState.TASK_GONE_BY_OPERATOR, TaskState.TASK_DROPPED, TaskState.TASK_UNKNOWN);

  /**
   * Reasons that name the executor's or agent's end, not the task's. Container limits (memory,
   * disk), launch failures and an executor that never registered stay failures: they repeat on the
   * same agent, which is what exclusion is for.
   */
  private static final Set<Reason> LOSS_REASONS = EnumSet.of(Reason.REASON_EXECUTOR_TERMINATED,
      Reason.REASON_EXECUTOR_UNREGISTERED, Reason.REASON_EXECUTOR_REREGISTRATION_TIMEOUT,
      Reason.REASON_AGENT_DISCONNECTED, Reason.REASON_AGENT_REMOVED, Reason.REASON_AGENT_REMOVED_BY_OPERATOR,
      Reason.REASON_AGENT_RESTARTED, Reason.REASON_AGENT_REREGISTERED, Reason.REASON_AGENT_UNKNOWN,
      Reason.REASON_AGENT_DRAINING, Reason.REASON_CONTAINER_PREEMPTED, Reason.REASON_MASTER_DISCONNECTED);

  private TaskEnds() {}

  static boolean executorOrAgentLost(TaskStatus status) {
    return LOST_STATES.contains(status.getState()) || (status.hasReason() && LOSS_REASONS.contains(status.getReason()));
  }
}
