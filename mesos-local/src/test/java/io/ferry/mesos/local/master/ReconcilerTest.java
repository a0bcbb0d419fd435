package io.ferry.mesos.local.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ReconcilerTest {

  final TaskStatus running = TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("run"))
      .setState(TaskState.TASK_RUNNING).setUuid(ByteString.copyFrom(new byte[16]))
      .setSource(TaskStatus.Source.SOURCE_EXECUTOR).build();
  final TaskStatus finishedUnacked = TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("done"))
      .setState(TaskState.TASK_FINISHED).build();
  final Map<String, AgentPresence> agents = Map.of("S-rec", AgentPresence.RECOVERING, "S-reg", AgentPresence.REGISTERED,
      "S-unr", AgentPresence.UNREACHABLE, "S-gone", AgentPresence.GONE);

  final Reconciler.View view = new Reconciler.View() {
    @Override
    public Collection<TaskStatus> knownTasks(String frameworkId) {
      return List.of(running, finishedUnacked);
    }

    @Override
    public Optional<TaskStatus> latest(String frameworkId, String taskId) {
      return knownTasks(frameworkId).stream().filter(s -> s.getTaskId().getValue().equals(taskId)).findFirst();
    }

    @Override
    public AgentPresence agent(String agentId) {
      return agents.getOrDefault(agentId, AgentPresence.UNKNOWN);
    }
  };

  final Reconciler reconciler = new Reconciler(() -> 1.0);

  private static Call.Reconcile ask(String... taskAgentPairs) {
    Call.Reconcile.Builder b = Call.Reconcile.newBuilder();
    for (int i = 0; i < taskAgentPairs.length; i += 2) {
      Call.Reconcile.Task.Builder t = b.addTasksBuilder().setTaskId(TaskID.newBuilder().setValue(taskAgentPairs[i]));
      if (taskAgentPairs[i + 1] != null) {
        t.setAgentId(AgentID.newBuilder().setValue(taskAgentPairs[i + 1]));
      }
    }
    return b.build();
  }

  @Test
  void implicitReconciliationReturnsEveryKnownTaskWithoutUuid() {
    List<TaskStatus> out = reconciler.reconcile("F", true, Call.Reconcile.getDefaultInstance(), view);
    assertThat(out).extracting(TaskStatus::getState).containsExactly(TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
    assertThat(out).allSatisfy(s -> {
      assertThat(s.hasUuid()).isFalse();
      assertThat(s.getSource()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
      assertThat(s.getReason()).isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
    });
  }

  @Test
  void unknownTasksFollowTheTable() {
    Call.Reconcile request = ask("x1", "S-rec", "x2", "S-reg", "x3", "S-unr", "x4", "S-gone", "x5", "S-never", "x6", null, "run", "S-reg");
    assertThat(reconciler.reconcile("F", true, request, view)).extracting(s -> s.getTaskId().getValue(), TaskStatus::getState)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("x2", TaskState.TASK_GONE),
            org.assertj.core.groups.Tuple.tuple("x3", TaskState.TASK_UNREACHABLE),
            org.assertj.core.groups.Tuple.tuple("x4", TaskState.TASK_GONE_BY_OPERATOR),
            org.assertj.core.groups.Tuple.tuple("x5", TaskState.TASK_UNKNOWN),
            org.assertj.core.groups.Tuple.tuple("x6", TaskState.TASK_UNKNOWN),
            org.assertj.core.groups.Tuple.tuple("run", TaskState.TASK_RUNNING));
    assertThat(reconciler.reconcile("F", false, request, view)).extracting(TaskStatus::getState)
        .containsExactly(TaskState.TASK_LOST, TaskState.TASK_LOST, TaskState.TASK_LOST, TaskState.TASK_LOST,
            TaskState.TASK_LOST, TaskState.TASK_RUNNING);
  }
}
