package io.ferry.mesos.local.master;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * Answers RECONCILE as Mesos's master does. An empty request returns the latest state of every
 * task the master knows for the framework, terminal-but-unacknowledged ones included; a named,
 * known task gets its latest state; a named, unknown task gets an answer that depends on what the
 * master knows of its agent:
 *
 * <pre>
 *   agent         PARTITION_AWARE          otherwise
 *   recovering    (no answer)              (no answer)
 *   registered    TASK_GONE                TASK_LOST
 *   unreachable   TASK_UNREACHABLE         TASK_LOST
 *   gone          TASK_GONE_BY_OPERATOR    TASK_LOST
 *   unknown       TASK_UNKNOWN             TASK_LOST
 * </pre>
 *
 * Every answer has {@code SOURCE_MASTER}, {@code REASON_RECONCILIATION} and no uuid, so schedulers
 * do not acknowledge it.
 */
final class Reconciler {

  /** What the reconciler needs to know of the master's state. */
  interface View {
    /** The latest status of every task the master knows for the framework. */
    Collection<TaskStatus> knownTasks(String frameworkId);

    Optional<TaskStatus> latest(String frameworkId, String taskId);

    AgentPresence agent(String agentId);
  }

  private final DoubleSupplier clockSeconds;

  Reconciler(DoubleSupplier clockSeconds) {
    this.clockSeconds = clockSeconds;
  }

  List<TaskStatus> reconcile(String frameworkId, boolean partitionAware, Call.Reconcile request, View view) {
    List<TaskStatus> out = new ArrayList<>();
    if (request.getTasksCount() == 0) {
      for (TaskStatus s : view.knownTasks(frameworkId)) {
        out.add(answer(s.toBuilder(), "Reconciliation: Latest task state"));
      }
      return out;
    }
    for (Call.Reconcile.Task t : request.getTasksList()) {
      Optional<TaskStatus> known = view.latest(frameworkId, t.getTaskId().getValue());
      if (known.isPresent()) {
        out.add(answer(known.get().toBuilder(), "Reconciliation: Latest task state"));
        continue;
      }
      AgentPresence presence = t.hasAgentId() ? view.agent(t.getAgentId().getValue()) : AgentPresence.UNKNOWN;
      Optional<TaskState> state = unknownTaskState(presence, partitionAware);
      if (state.isEmpty()) {
        continue;
      }
      TaskStatus.Builder b = TaskStatus.newBuilder().setTaskId(t.getTaskId()).setState(state.get());
      if (t.hasAgentId()) {
        b.setAgentId(AgentID.newBuilder().setValue(t.getAgentId().getValue()));
      }
      out.add(answer(b, "Reconciliation: Task is unknown" + (presence == AgentPresence.UNKNOWN ? "" : " to the agent")));
    }
    return out;
  }

  /** The digest's table; empty means the master does not answer yet. */
  static Optional<TaskState> unknownTaskState(AgentPresence agent, boolean partitionAware) {
    if (agent == AgentPresence.RECOVERING) {
      return Optional.empty();
    }
    if (!partitionAware) {
      return Optional.of(TaskState.TASK_LOST);
    }
    return Optional.of(switch (agent) {
      case REGISTERED -> TaskState.TASK_GONE;
      case UNREACHABLE -> TaskState.TASK_UNREACHABLE;
      case GONE -> TaskState.TASK_GONE_BY_OPERATOR;
      default -> TaskState.TASK_UNKNOWN;
    });
  }

  private TaskStatus answer(TaskStatus.Builder b, String message) {
    return b.clearUuid().setSource(TaskStatus.Source.SOURCE_MASTER)
        .setReason(TaskStatus.Reason.REASON_RECONCILIATION).setMessage(message)
        .setTimestamp(clockSeconds.getAsDouble()).build();
  }
}
