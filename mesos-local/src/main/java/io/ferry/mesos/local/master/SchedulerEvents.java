package io.ferry.mesos.local.master;

import com.google.protobuf.ByteString;
import java.util.List;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Event;

/** Builders for the events of the scheduler API, shaped as Mesos's master sends them. */
final class SchedulerEvents {

  private SchedulerEvents() {}

  static Event subscribed(String frameworkId, double heartbeatSeconds, MasterInfo master) {
    return Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
        .setFrameworkId(FrameworkID.newBuilder().setValue(frameworkId))
        .setHeartbeatIntervalSeconds(heartbeatSeconds).setMasterInfo(master)).build();
  }

  static Event heartbeat() {
    return Event.newBuilder().setType(Event.Type.HEARTBEAT).build();
  }

  /** ERROR with the message inside {@code error} (the docs wrongly put it at the top level). */
  static Event error(String message) {
    return Event.newBuilder().setType(Event.Type.ERROR).setError(Event.Error.newBuilder().setMessage(message)).build();
  }

  static Event offers(List<Offer> offers) {
    return Event.newBuilder().setType(Event.Type.OFFERS).setOffers(Event.Offers.newBuilder().addAllOffers(offers)).build();
  }

  static Event rescind(String offerId) {
    return Event.newBuilder().setType(Event.Type.RESCIND)
        .setRescind(Event.Rescind.newBuilder().setOfferId(OfferID.newBuilder().setValue(offerId))).build();
  }

  static Event update(TaskStatus status) {
    return Event.newBuilder().setType(Event.Type.UPDATE).setUpdate(Event.Update.newBuilder().setStatus(status)).build();
  }

  static Event message(String agentId, ExecutorID executorId, ByteString data) {
    return Event.newBuilder().setType(Event.Type.MESSAGE).setMessage(Event.Message.newBuilder()
        .setAgentId(AgentID.newBuilder().setValue(agentId)).setExecutorId(executorId).setData(data)).build();
  }

  /** An executor exited ({@code status} is the raw wait status), or with no executor, an agent was lost. */
  static Event failure(String agentId, ExecutorID executorId, Integer status) {
    Event.Failure.Builder f = Event.Failure.newBuilder().setAgentId(AgentID.newBuilder().setValue(agentId));
    if (executorId != null) {
      f.setExecutorId(executorId);
    }
    if (status != null) {
      f.setStatus(status);
    }
    return Event.newBuilder().setType(Event.Type.FAILURE).setFailure(f).build();
  }
}
