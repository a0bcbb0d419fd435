package io.ferry.mesos.local.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ferry.mesos.ContentType;
import io.ferry.mesos.MesosUuids;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The executor endpoint's checks in order; the digest's edge case 11 (bad UPDATEs are 400). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ExecutorGateTest {

  boolean containerizerRecovering;
  boolean agentRecovering;
  boolean subscribed;
  boolean executorKnown = true;
  Optional<java.util.Map<String, String>> claims = Optional.empty();

  final ExecutorGate.View view = new ExecutorGate.View() {
    @Override
    public boolean containerizerRecovering() {
      return containerizerRecovering;
    }

    @Override
    public boolean agentRecovering() {
      return agentRecovering;
    }

    @Override
    public boolean frameworkKnown(String frameworkId) {
      return true;
    }

    @Override
    public boolean executorKnown(String frameworkId, String executorId) {
      return executorKnown;
    }

    @Override
    public Optional<java.util.Map<String, String>> authenticate(String authorizationHeader) {
      return claims;
    }

    @Override
    public Optional<String> containerId(String frameworkId, String executorId) {
      return Optional.of("c");
    }

    @Override
    public boolean subscribed(String frameworkId, String executorId) {
      return subscribed;
    }
  };

  private static Call.Builder call(Call.Type type) {
    return Call.newBuilder().setType(type).setExecutorId(ExecutorID.newBuilder().setValue("e"))
        .setFrameworkId(FrameworkID.newBuilder().setValue("f"));
  }

  private static Call update(TaskState state, TaskStatus.Source source, ByteString uuid) {
    TaskStatus.Builder s = TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("t")).setState(state).setSource(source);
    if (uuid != null) {
      s.setUuid(uuid);
    }
    return call(Call.Type.UPDATE).setUpdate(Call.Update.newBuilder().setStatus(s)).build();
  }

  private int status(Call c) {
    ExecutorGate.Result r = ExecutorGate.check(
        new ExecutorGate.Request("POST", "application/x-protobuf", null, ContentType.PROTOBUF.encode(c)), view);
    return r instanceof ExecutorGate.Reject reject ? reject.status() : 202;
  }

  @Test
  void badUpdatesAre400() {
    subscribed = true;
    assertThat(status(update(TaskState.TASK_RUNNING, TaskStatus.Source.SOURCE_EXECUTOR, MesosUuids.random()))).isEqualTo(202);
    assertThat(status(update(TaskState.TASK_RUNNING, TaskStatus.Source.SOURCE_EXECUTOR, ByteString.copyFromUtf8("not-a-uuid")))).isEqualTo(400);
    assertThat(status(update(TaskState.TASK_RUNNING, TaskStatus.Source.SOURCE_EXECUTOR, null))).isEqualTo(400);
    assertThat(status(update(TaskState.TASK_RUNNING, TaskStatus.Source.SOURCE_AGENT, MesosUuids.random()))).isEqualTo(400);
    assertThat(status(update(TaskState.TASK_STAGING, TaskStatus.Source.SOURCE_EXECUTOR, MesosUuids.random()))).isEqualTo(400);
    Call otherExecutor = update(TaskState.TASK_RUNNING, TaskStatus.Source.SOURCE_EXECUTOR, MesosUuids.random()).toBuilder()
        .setUpdate(Call.Update.newBuilder().setStatus(update(TaskState.TASK_RUNNING, TaskStatus.Source.SOURCE_EXECUTOR, MesosUuids.random())
            .getUpdate().getStatus().toBuilder().setExecutorId(ExecutorID.newBuilder().setValue("other")))).build();
    assertThat(status(otherExecutor)).isEqualTo(400);
  }

  @Test
  void orderOfChecks() {
    containerizerRecovering = true;
    assertThat(status(call(Call.Type.HEARTBEAT).build())).isEqualTo(503);
    containerizerRecovering = false;
    agentRecovering = true;
    assertThat(status(call(Call.Type.HEARTBEAT).build())).isEqualTo(202);
    assertThat(status(call(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.getDefaultInstance()).build())).isEqualTo(202);
    assertThat(status(call(Call.Type.MESSAGE).setMessage(Call.Message.newBuilder().setData(ByteString.EMPTY)).build())).isEqualTo(503);
    agentRecovering = false;
    assertThat(status(call(Call.Type.MESSAGE).setMessage(Call.Message.newBuilder().setData(ByteString.EMPTY)).build())).isEqualTo(403);
    executorKnown = false;
    assertThat(status(call(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.getDefaultInstance()).build())).isEqualTo(400);
    executorKnown = true;
    claims = Optional.of(java.util.Map.of("fid", "f", "eid", "another", "cid", "c"));
    assertThat(status(call(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.getDefaultInstance()).build())).isEqualTo(403);
    claims = Optional.of(java.util.Map.of("fid", "f", "eid", "e", "cid", "c"));
    assertThat(status(call(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.getDefaultInstance()).build())).isEqualTo(202);
    claims = Optional.of(java.util.Map.of());
    ExecutorGate.Result unauthenticated = ExecutorGate.check(new ExecutorGate.Request("GET", null, null, new byte[0]), view);
    assertThat(((ExecutorGate.Reject) unauthenticated).status()).isEqualTo(401);
    claims = Optional.empty();
    assertThat(((ExecutorGate.Reject) ExecutorGate.check(new ExecutorGate.Request("POST", "application/json", "text/plain",
        ContentType.JSON.encode(call(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.getDefaultInstance()).build())), view))
        .status()).isEqualTo(406);
  }
}
