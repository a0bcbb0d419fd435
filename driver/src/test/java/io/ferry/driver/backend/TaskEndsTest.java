package io.ferry.driver.backend;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TaskEndsTest {
  private static TaskStatus status(TaskState state, Reason reason) {
    TaskStatus.Builder b = TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("t")).setState(state);
    if (reason != null) {
      b.setReason(reason);
    }
    return b.build();
  }

  @Test
  void theExecutorsOrAgentsEndIsALoss() {
    assertThat(TaskEnds.executorOrAgentLost(status(TaskState.TASK_FAILED, Reason.REASON_EXECUTOR_TERMINATED))).isTrue();
    assertThat(TaskEnds.executorOrAgentLost(status(TaskState.TASK_LOST, Reason.REASON_AGENT_REMOVED))).isTrue();
    assertThat(TaskEnds.executorOrAgentLost(status(TaskState.TASK_GONE, Reason.REASON_AGENT_RESTARTED))).isTrue();
    assertThat(TaskEnds.executorOrAgentLost(status(TaskState.TASK_LOST, null))).isTrue();
    assertThat(TaskEnds.executorOrAgentLost(status(TaskState.TASK_FAILED, Reason.REASON_CONTAINER_PREEMPTED))).isTrue();
  }

  @Test
  void theTasksOwnEndAndWhatRepeatsOnTheAgentAreFailures() {
    assertThat(TaskEnds.executorOrAgentLost(status(TaskState.TASK_FAILED, null))).isFalse();
    assertThat(TaskEnds.executorOrAgentLost(status(TaskState.TASK_FAILED, Reason.REASON_CONTAINER_LIMITATION_MEMORY)))
        .isFalse();
    assertThat(TaskEnds.executorOrAgentLost(status(TaskState.TASK_FAILED, Reason.REASON_CONTAINER_LAUNCH_FAILED)))
        .isFalse();
    assertThat(TaskEnds.executorOrAgentLost(status(TaskState.TASK_FAILED, Reason.REASON_EXECUTOR_REGISTRATION_TIMEOUT)))
        .isFalse();
    assertThat(TaskEnds.executorOrAgentLost(status(TaskState.TASK_KILLED, null))).isFalse();
    assertThat(TaskEnds.executorOrAgentLost(status(TaskState.TASK_ERROR, Reason.REASON_TASK_INVALID))).isFalse();
  }
}
