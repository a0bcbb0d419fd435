package io.ferry.mesos.local.master;

import io.ferry.mesos.MesosIds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleSupplier;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer.Operation;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * Validates an ACCEPT the way Mesos's master does (src/master/validation.cpp, as the protocol
 * digest summarises it):
 *
 * <ul>
 *   <li>the offers must be outstanding, the framework's own, on one agent, of one allocation
 *       role, and not repeated; otherwise every task is answered {@code TASK_DROPPED} (or
 *       {@code TASK_LOST} without PARTITION_AWARE), {@code SOURCE_MASTER},
 *       {@code REASON_INVALID_OFFERS}, and the valid offers are used up anyway;
 *   <li>each task is checked on its own, in order, and answered {@code TASK_ERROR} +
 *       {@code REASON_TASK_INVALID} for: an operation {@code id}, a bad ID, a duplicate live task ID
 *       (earlier tasks of the same call count), neither or both of command and executor, an
 *       ExecutorInfo that differs from the one already running under its ID on that agent, no
 *       resources, or more resources than the offers have left;
 *   <li>executor resources are charged only by the task that starts the executor.
 * </ul>
 *
 * Reservations and operations other than LAUNCH and LAUNCH_GROUP are not emulated; those
 * operations are ignored with their resources left over.
 */
final class AcceptValidator {

  /** What the validator needs to know of the master's state. */
  interface View {
    Optional<OfferRecord> offer(String offerId);

    boolean liveTask(String frameworkId, String taskId);

    /** The ExecutorInfo running (or launched) under this ID for the framework on the agent. */
    Optional<ExecutorInfo> executor(String agentId, String frameworkId, String executorId);
  }

  private final DoubleSupplier clockSeconds;

  AcceptValidator(DoubleSupplier clockSeconds) {
    this.clockSeconds = clockSeconds;
  }

  AcceptPlan validate(String frameworkId, boolean partitionAware, Call.Accept accept, View view) {
    List<TaskInfo> tasks = tasksOf(accept);
    List<OfferRecord> valid = new ArrayList<>();
    Optional<String> offerProblem = checkOffers(frameworkId, accept.getOfferIdsList(), view, valid);
    if (offerProblem.isPresent()) {
      List<TaskStatus> dropped = new ArrayList<>();
      TaskState state = partitionAware ? TaskState.TASK_DROPPED : TaskState.TASK_LOST;
      for (TaskInfo t : tasks) {
        dropped.add(status(t, null, state, TaskStatus.Reason.REASON_INVALID_OFFERS, offerProblem.get()));
      }
      // Each valid offer goes back whole to its own agent (offers may be on several agents here).
      return new AcceptPlan(null, null, List.of(), dropped, valid, Resources.EMPTY);
    }
    String agentId = valid.get(0).agentId();
    String role = valid.get(0).role();
    Resources available = valid.stream().map(OfferRecord::resources).reduce(Resources.EMPTY, Resources::plus);

    List<AcceptPlan.Launch> launches = new ArrayList<>();
    List<TaskStatus> rejections = new ArrayList<>();
    Set<String> seenTaskIds = new HashSet<>();
    Map<String, ExecutorInfo> startedHere = new HashMap<>();
    for (Operation op : accept.getOperationsList()) {
      if (op.getType() != Operation.Type.LAUNCH && op.getType() != Operation.Type.LAUNCH_GROUP) {
        continue;
      }
      for (TaskInfo task : tasksOf(op)) {
        ExecutorInfo groupExecutor = op.getType() == Operation.Type.LAUNCH_GROUP ? op.getLaunchGroup().getExecutor() : null;
        Optional<String> problem = op.hasId()
            ? Optional.of("The operation ID field is not supported for " + op.getType() + " operations")
            : checkTask(frameworkId, agentId, task, groupExecutor, seenTaskIds, startedHere, view);
        seenTaskIds.add(task.getTaskId().getValue());
        if (problem.isPresent()) {
          rejections.add(status(task, agentId, TaskState.TASK_ERROR, TaskStatus.Reason.REASON_TASK_INVALID, problem.get()));
          continue;
        }
        ExecutorInfo executor = groupExecutor != null ? groupExecutor : task.hasExecutor() ? task.getExecutor() : null;
        boolean newExecutor = executor != null
            && view.executor(agentId, frameworkId, executor.getExecutorId().getValue()).isEmpty()
            && !startedHere.containsKey(executor.getExecutorId().getValue());
        Resources needs = Resources.of(task.getResourcesList());
        if (newExecutor) {
          needs = needs.plus(Resources.of(executor.getResourcesList()));
        }
        if (!available.contains(needs)) {
          rejections.add(status(task, agentId, TaskState.TASK_ERROR, TaskStatus.Reason.REASON_TASK_INVALID,
              "Task uses more resources " + needs + " than available " + available));
          continue;
        }
        available = available.minus(needs);
        if (newExecutor) {
          startedHere.put(executor.getExecutorId().getValue(), executor);
        }
        launches.add(new AcceptPlan.Launch(filledIn(task, frameworkId, role, groupExecutor), needs, newExecutor));
      }
    }
    return new AcceptPlan(agentId, role, launches, rejections, valid, available);
  }

  private static Optional<String> checkOffers(String frameworkId, List<OfferID> ids, View view,
      List<OfferRecord> valid) {
    if (ids.isEmpty()) {
      return Optional.of("No offers specified");
    }
    Set<String> seen = new LinkedHashSet<>();
    String problem = null;
    for (OfferID id : ids) {
      if (!seen.add(id.getValue())) {
        problem = problem != null ? problem : "Duplicate offer " + id.getValue() + " in ACCEPT";
        continue;
      }
      Optional<OfferRecord> offer = view.offer(id.getValue());
      if (offer.isEmpty()) {
        problem = problem != null ? problem : "Offer " + id.getValue() + " is no longer valid";
      } else if (!offer.get().frameworkId().equals(frameworkId)) {
        problem = problem != null ? problem : "Offer " + id.getValue() + " is not for framework " + frameworkId;
      } else {
        valid.add(offer.get());
      }
    }
    if (problem == null && valid.stream().map(OfferRecord::agentId).distinct().count() > 1) {
      problem = "Aggregated offers must belong to one single agent";
    }
    if (problem == null && valid.stream().map(OfferRecord::role).distinct().count() > 1) {
      problem = "Aggregated offers must be allocated to the same role";
    }
    return Optional.ofNullable(problem);
  }

  private static Optional<String> checkTask(String frameworkId, String agentId, TaskInfo task,
      ExecutorInfo groupExecutor, Set<String> seenTaskIds, Map<String, ExecutorInfo> startedHere, View view) {
    String taskId = task.getTaskId().getValue();
    Optional<String> idProblem = MesosIds.problem(taskId);
    if (idProblem.isPresent()) {
      return Optional.of("'TaskInfo.task_id' is invalid: " + idProblem.get());
    }
    if (seenTaskIds.contains(taskId) || view.liveTask(frameworkId, taskId)) {
      return Optional.of("Task has duplicate ID: " + taskId);
    }
    ExecutorInfo executor;
    if (groupExecutor != null) {
      if (task.hasExecutor()) {
        return Optional.of("The `ExecutorInfo` of task '" + taskId + "' is set in a task group");
      }
      executor = groupExecutor;
    } else {
      if (task.hasExecutor() == task.hasCommand()) {
        return Optional.of("Task should have at least one (but not both) of CommandInfo or ExecutorInfo present");
      }
      executor = task.hasExecutor() ? task.getExecutor() : null;
    }
    if (executor != null) {
      String executorId = executor.getExecutorId().getValue();
      Optional<String> executorProblem = MesosIds.problem(executorId);
      if (executorProblem.isPresent()) {
        return Optional.of("'ExecutorInfo.executor_id' is invalid: " + executorProblem.get());
      }
      if (executor.hasFrameworkId() && !executor.getFrameworkId().getValue().equals(frameworkId)) {
        return Optional.of("ExecutorInfo has an invalid FrameworkID (Actual: "
            + executor.getFrameworkId().getValue() + " vs Expected: " + frameworkId + ")");
      }
      Optional<ExecutorInfo> existing = view.executor(agentId, frameworkId, executorId)
          .or(() -> Optional.ofNullable(startedHere.get(executorId)));
      if (existing.isPresent() && !sameExecutor(existing.get(), executor, frameworkId)) {
        return Optional.of("ExecutorInfo is not compatible with existing ExecutorInfo with same ExecutorID");
      }
    }
    if (task.getResourcesCount() == 0) {
      return Optional.of("Task uses no resources");
    }
    try {
      Resources.of(task.getResourcesList());
    } catch (IllegalArgumentException e) {
      return Optional.of("Task uses invalid resources: " + e.getMessage());
    }
    return Optional.empty();
  }

  private static boolean sameExecutor(ExecutorInfo a, ExecutorInfo b, String frameworkId) {
    return withFramework(a, frameworkId).equals(withFramework(b, frameworkId));
  }

  private static ExecutorInfo withFramework(ExecutorInfo e, String frameworkId) {
    return e.toBuilder().setFrameworkId(FrameworkID.newBuilder().setValue(frameworkId)).build();
  }

  /** The master fills in {@code allocation_info} and {@code ExecutorInfo.framework_id}. */
  private static TaskInfo filledIn(TaskInfo task, String frameworkId, String role, ExecutorInfo groupExecutor) {
    TaskInfo.Builder b = task.toBuilder();
    for (Resource.Builder r : b.getResourcesBuilderList()) {
      if (!r.hasAllocationInfo()) {
        r.getAllocationInfoBuilder().setRole(role);
      }
    }
    if (b.hasExecutor() && !b.getExecutor().hasFrameworkId()) {
      b.getExecutorBuilder().setFrameworkId(FrameworkID.newBuilder().setValue(frameworkId));
    }
    return b.build();
  }

  private static List<TaskInfo> tasksOf(Call.Accept accept) {
    List<TaskInfo> out = new ArrayList<>();
    for (Operation op : accept.getOperationsList()) {
      out.addAll(tasksOf(op));
    }
    return out;
  }

  private static List<TaskInfo> tasksOf(Operation op) {
    return switch (op.getType()) {
      case LAUNCH -> op.getLaunch().getTaskInfosList();
      case LAUNCH_GROUP -> op.getLaunchGroup().getTaskGroup().getTasksList();
      default -> List.of();
    };
  }

  private TaskStatus status(TaskInfo task, String agentId, TaskState state, TaskStatus.Reason reason, String message) {
    TaskStatus.Builder b = TaskStatus.newBuilder().setTaskId(task.getTaskId()).setState(state)
        .setSource(TaskStatus.Source.SOURCE_MASTER).setReason(reason).setMessage(message)
        .setTimestamp(clockSeconds.getAsDouble());
    String agent = agentId != null ? agentId : task.hasAgentId() ? task.getAgentId().getValue() : null;
    if (agent != null) {
      b.setAgentId(AgentID.newBuilder().setValue(agent));
    }
    return b.build();
  }
}
