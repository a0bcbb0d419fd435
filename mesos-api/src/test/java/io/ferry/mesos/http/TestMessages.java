package io.ferry.mesos.http;

import com.google.protobuf.ByteString;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.executor.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/** The Calls and Events the client tests send and stream. */
final class TestMessages {
  static final FrameworkID FRAMEWORK_ID = FrameworkID.newBuilder().setValue("f1e2d3c4-0000").build();
  static final ExecutorID EXECUTOR_ID = ExecutorID.newBuilder().setValue("ferry-executor-1").build();

  private TestMessages() {}

  static Call schedulerSubscribe() {
    return Call.newBuilder().setType(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(frameworkInfo())).build();
  }

  /** A scheduler MESSAGE whose data tells calls apart. */
  static Call schedulerMessage(String data) {
    return Call.newBuilder().setType(Call.Type.MESSAGE).setFrameworkId(FRAMEWORK_ID)
        .setMessage(Call.Message.newBuilder()
            .setAgentId(org.apache.mesos.v1.Protos.AgentID.newBuilder().setValue("a-S0"))
            .setExecutorId(EXECUTOR_ID).setData(ByteString.copyFromUtf8(data)))
        .build();
  }

  static String messageData(RecordedRequest request) {
    return request.schedulerCall().getMessage().getData().toStringUtf8();
  }

  static Call schedulerTeardown() {
    return Call.newBuilder().setType(Call.Type.TEARDOWN).setFrameworkId(FRAMEWORK_ID).build();
  }

  static Event schedulerSubscribed() {
    return Event.newBuilder().setType(Event.Type.SUBSCRIBED)
        .setSubscribed(Event.Subscribed.newBuilder().setFrameworkId(FRAMEWORK_ID).setHeartbeatIntervalSeconds(15))
        .build();
  }

  static Event schedulerHeartbeat() {
    return Event.newBuilder().setType(Event.Type.HEARTBEAT).build();
  }

  static Protos.Call executorSubscribe() {
    return Protos.Call.newBuilder().setType(Protos.Call.Type.SUBSCRIBE)
        .setFrameworkId(FRAMEWORK_ID).setExecutorId(EXECUTOR_ID)
        .setSubscribe(Protos.Call.Subscribe.getDefaultInstance()).build();
  }

  static Protos.Call executorHeartbeatCall() {
    return Protos.Call.newBuilder().setType(Protos.Call.Type.HEARTBEAT)
        .setFrameworkId(FRAMEWORK_ID).setExecutorId(EXECUTOR_ID).build();
  }

  static Protos.Event executorSubscribed() {
    return Protos.Event.newBuilder().setType(Protos.Event.Type.SUBSCRIBED)
        .setSubscribed(Protos.Event.Subscribed.newBuilder()
            .setExecutorInfo(ExecutorInfo.newBuilder().setExecutorId(EXECUTOR_ID).setFrameworkId(FRAMEWORK_ID))
            .setFrameworkInfo(frameworkInfo().toBuilder().setId(FRAMEWORK_ID))
            .setAgentInfo(AgentInfo.newBuilder().setHostname("agent-1.example")))
        .build();
  }

  static Protos.Event executorHeartbeat() {
    return Protos.Event.newBuilder().setType(Protos.Event.Type.HEARTBEAT).build();
  }

  private static FrameworkInfo frameworkInfo() {
    return FrameworkInfo.newBuilder().setUser("ferry").setName("ferry-test").build();
  }
}
