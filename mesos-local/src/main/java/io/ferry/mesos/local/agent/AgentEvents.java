package io.ferry.mesos.local.agent;

import com.google.protobuf.ByteString;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ContainerID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.executor.Protos.Event;

/** Builders for the events of the executor API. */
final class AgentEvents {

  private AgentEvents() {}

  static Event subscribed(ExecutorInfo executor, FrameworkInfo framework, AgentInfo agent, String containerId) {
    return Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
        .setExecutorInfo(executor).setFrameworkInfo(framework).setAgentInfo(agent)
        .setContainerId(ContainerID.newBuilder().setValue(containerId))).build();
  }

  static Event launch(TaskInfo task) {
    return Event.newBuilder().setType(Event.Type.LAUNCH).setLaunch(Event.Launch.newBuilder().setTask(task)).build();
  }

  static Event kill(TaskID taskId, KillPolicy policy) {
    Event.Kill.Builder k = Event.Kill.newBuilder().setTaskId(taskId);
    if (policy != null && !policy.equals(KillPolicy.getDefaultInstance())) {
      k.setKillPolicy(policy);
    }
    return Event.newBuilder().setType(Event.Type.KILL).setKill(k).build();
  }

  static Event acknowledged(TaskID taskId, ByteString uuid) {
    return Event.newBuilder().setType(Event.Type.ACKNOWLEDGED)
        .setAcknowledged(Event.Acknowledged.newBuilder().setTaskId(taskId).setUuid(uuid)).build();
  }

  static Event message(ByteString data) {
    return Event.newBuilder().setType(Event.Type.MESSAGE).setMessage(Event.Message.newBuilder().setData(data)).build();
  }

  static Event shutdown() {
    return Event.newBuilder().setType(Event.Type.SHUTDOWN).build();
  }
}
