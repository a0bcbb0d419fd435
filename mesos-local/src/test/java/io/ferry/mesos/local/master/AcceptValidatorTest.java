package io.ferry.mesos.local.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Offer.Operation;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.OperationID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ACCEPT validation: the digest's edge cases 8, 9 and 10, and the resource rules. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AcceptValidatorTest {

  final Map<String, OfferRecord> offers = new HashMap<>();
  final Set<String> liveTasks = new HashSet<>();
  final Map<String, ExecutorInfo> executors = new HashMap<>();
  final AcceptValidator validator = new AcceptValidator(() -> 1_700_000_000.0);

  final AcceptValidator.View view = new AcceptValidator.View() {
    @Override
    public Optional<OfferRecord> offer(String offerId) {
      return Optional.ofNullable(offers.get(offerId));
    }

    @Override
    public boolean liveTask(String frameworkId, String taskId) {
      return liveTasks.contains(taskId);
    }

    @Override
    public Optional<ExecutorInfo> executor(String agentId, String frameworkId, String executorId) {
      return Optional.ofNullable(executors.get(agentId + "/" + executorId));
    }
  };

  private void offer(String id, String framework, String agent, String resources) {
    offers.put(id, new OfferRecord(id, framework, agent, "*", Resources.parse(resources)));
  }

  private static TaskInfo commandTask(String id, String resources) {
    return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
        .setAgentId(AgentID.newBuilder().setValue("S1"))
        .addAllResources(Resources.parse(resources).toProtos(Optional.empty()))
        .setCommand(CommandInfo.newBuilder().setValue("true")).build();
  }

  private static ExecutorInfo executor(String id, String command, String resources) {
    return ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue(id))
        .setCommand(CommandInfo.newBuilder().setValue(command))
        .addAllResources(Resources.parse(resources).toProtos(Optional.empty())).build();
  }

  private static TaskInfo executorTask(String id, String resources, ExecutorInfo executor) {
    return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
        .setAgentId(AgentID.newBuilder().setValue("S1"))
        .addAllResources(Resources.parse(resources).toProtos(Optional.empty())).setExecutor(executor).build();
  }

  private static Call.Accept accept(List<String> offerIds, TaskInfo... tasks) {
    Call.Accept.Builder b = Call.Accept.newBuilder();
    offerIds.forEach(id -> b.addOfferIds(OfferID.newBuilder().setValue(id)));
    b.addOperations(Operation.newBuilder().setType(Operation.Type.LAUNCH)
        .setLaunch(Operation.Launch.newBuilder().addAllTaskInfos(List.of(tasks))));
    return b.build();
  }

  @Test
  void validLaunchFillsInAllocationAndReturnsTheRest() {
    offer("O1", "F1", "S1", "cpus:4;mem:4096");
    AcceptPlan plan = validator.validate("F1", true, accept(List.of("O1"), commandTask("t1", "cpus:1;mem:128")), view);
    assertThat(plan.rejections()).isEmpty();
    assertThat(plan.launches()).singleElement().satisfies(l -> {
      assertThat(l.task().getResourcesList()).allSatisfy(r -> assertThat(r.getAllocationInfo().getRole()).isEqualTo("*"));
      assertThat(l.newExecutor()).isFalse();
    });
    assertThat(plan.leftover()).isEqualTo(Resources.parse("cpus:3;mem:3968"));
    assertThat(plan.used()).extracting(OfferRecord::id).containsExactly("O1");
  }

  @Test
  void duplicateTaskIdEvenWithinOneAcceptIsATaskError() {
    offer("O1", "F1", "S1", "cpus:4;mem:4096");
    liveTasks.add("running");
    AcceptPlan plan = validator.validate("F1", true, accept(List.of("O1"),
        commandTask("a", "cpus:1;mem:64"), commandTask("a", "cpus:1;mem:64"), commandTask("running", "cpus:1;mem:64")), view);
    assertThat(plan.launches()).hasSize(1);
    assertThat(plan.rejections()).hasSize(2).allSatisfy(s -> {
      assertThat(s.getState()).isEqualTo(TaskState.TASK_ERROR);
      assertThat(s.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_INVALID);
      assertThat(s.getSource()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
      assertThat(s.hasUuid()).isFalse();
      assertThat(s.getMessage()).startsWith("Task has duplicate ID");
    });
  }

  @Test
  void staleUsedOrCrossAgentOffersDropEveryTask() {
    offer("O1", "F1", "S1", "cpus:1;mem:128");
    offer("O2", "F1", "S2", "cpus:1;mem:128");
    offer("O3", "F2", "S1", "cpus:1;mem:128");
    for (List<String> ids : List.of(List.of("gone"), List.of("O1", "O2"), List.of("O3"), List.of("O1", "O1"))) {
      AcceptPlan plan = validator.validate("F1", true, accept(ids, commandTask("t", "cpus:1;mem:64")), view);
      assertThat(plan.launches()).as("%s", ids).isEmpty();
      assertThat(plan.rejections()).as("%s", ids).singleElement().satisfies(s -> {
        assertThat(s.getState()).isEqualTo(TaskState.TASK_DROPPED);
        assertThat(s.getReason()).isEqualTo(TaskStatus.Reason.REASON_INVALID_OFFERS);
      });
    }
    AcceptPlan lost = validator.validate("F1", false, accept(List.of("gone"), commandTask("t", "cpus:1;mem:64")), view);
    assertThat(lost.rejections().get(0).getState()).isEqualTo(TaskState.TASK_LOST);
    AcceptPlan mixed = validator.validate("F1", true, accept(List.of("O1", "gone"), commandTask("t", "cpus:1;mem:64")), view);
    assertThat(mixed.used()).extracting(OfferRecord::id).containsExactly("O1");
    assertThat(mixed.leftover().isEmpty()).isTrue();
  }

  @Test
  void reusedExecutorIdWithADifferentExecutorInfoIsATaskError() {
    offer("O1", "F1", "S1", "cpus:4;mem:4096");
    executors.put("S1/e1", executor("e1", "./run-v1", "cpus:0.1;mem:32"));
    AcceptPlan plan = validator.validate("F1", true, accept(List.of("O1"),
        executorTask("same", "cpus:1;mem:64", executor("e1", "./run-v1", "cpus:0.1;mem:32")),
        executorTask("other", "cpus:1;mem:64", executor("e1", "./run-v2", "cpus:0.1;mem:32"))), view);
    assertThat(plan.launches()).extracting(l -> l.task().getTaskId().getValue()).containsExactly("same");
    assertThat(plan.launches().get(0).newExecutor()).isFalse();
    assertThat(plan.rejections()).singleElement().satisfies(s ->
        assertThat(s.getMessage()).contains("not compatible with existing ExecutorInfo"));
  }

  @Test
  void executorResourcesAreChargedOnlyByTheTaskThatStartsIt() {
    offer("O1", "F1", "S1", "cpus:2.2;mem:1024");
    ExecutorInfo e = executor("e2", "./run", "cpus:0.2;mem:64");
    AcceptPlan plan = validator.validate("F1", true, accept(List.of("O1"),
        executorTask("t1", "cpus:1;mem:64", e), executorTask("t2", "cpus:1;mem:64", e), executorTask("t3", "cpus:0.5;mem:64", e)), view);
    assertThat(plan.launches()).extracting(AcceptPlan.Launch::newExecutor).containsExactly(true, false);
    assertThat(plan.launches().get(0).task().getExecutor().getFrameworkId().getValue()).isEqualTo("F1");
    assertThat(plan.rejections()).singleElement().satisfies(s -> assertThat(s.getMessage()).contains("more resources"));
    assertThat(plan.leftover()).isEqualTo(Resources.parse("mem:832"));
  }

  @Test
  void malformedTasksAreTaskErrors() {
    offer("O1", "F1", "S1", "cpus:4;mem:4096");
    TaskInfo both = commandTask("both", "cpus:1;mem:64").toBuilder().setExecutor(executor("e", "x", "cpus:0.1")).build();
    TaskInfo none = commandTask("none", "cpus:1;mem:64").toBuilder().clearCommand().build();
    TaskInfo noResources = commandTask("empty", "cpus:1").toBuilder().clearResources().build();
    TaskInfo badId = commandTask("a/b", "cpus:1;mem:64");
    AcceptPlan plan = validator.validate("F1", true, accept(List.of("O1"), both, none, noResources, badId), view);
    assertThat(plan.launches()).isEmpty();
    assertThat(plan.rejections()).extracting(TaskStatus::getMessage).satisfiesExactly(
        m -> assertThat(m).contains("at least one (but not both)"),
        m -> assertThat(m).contains("at least one (but not both)"),
        m -> assertThat(m).isEqualTo("Task uses no resources"),
        m -> assertThat(m).contains("task_id").contains("has a control character, '/'"));

    Call.Accept withId = accept(List.of("O1"), commandTask("t", "cpus:1;mem:64")).toBuilder()
        .setOperations(0, accept(List.of("O1"), commandTask("t", "cpus:1;mem:64")).getOperations(0).toBuilder()
            .setId(OperationID.newBuilder().setValue("op-1"))).build();
    assertThat(validator.validate("F1", true, withId, view).rejections()).singleElement()
        .satisfies(s -> assertThat(s.getMessage()).contains("operation ID"));
  }
}
