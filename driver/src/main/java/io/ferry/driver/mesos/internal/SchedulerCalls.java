package io.ferry.driver.mesos.internal;

import com.google.protobuf.ByteString;
import java.util.List;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;

/** Builds the scheduler API's calls for one framework; the master wants framework_id on every one but SUBSCRIBE's first. */
public final class SchedulerCalls {

  private SchedulerCalls() {}

  public static Call subscribe(FrameworkInfo info) {
    Call.Builder call = Call.newBuilder().setType(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info));
    if (info.hasId()) {
      call.setFrameworkId(info.getId());
    }
    return call.build();
  }

  public static Call accept(FrameworkID id, List<OfferID> offers, List<Offer.Operation> operations, Filters filters) {
    Call.Accept.Builder accept = Call.Accept.newBuilder().addAllOfferIds(offers).addAllOperations(operations);
    if (filters != null) {
      accept.setFilters(filters);
    }
    return base(id, Call.Type.ACCEPT).setAccept(accept).build();
  }

  public static Call decline(FrameworkID id, List<OfferID> offers, Filters filters) {
    Call.Decline.Builder decline = Call.Decline.newBuilder().addAllOfferIds(offers);
    if (filters != null) {
      decline.setFilters(filters);
    }
    return base(id, Call.Type.DECLINE).setDecline(decline).build();
  }

  /** SUPPRESS for every role the framework has. */
  public static Call suppress(FrameworkID id) {
    return base(id, Call.Type.SUPPRESS).setSuppress(Call.Suppress.getDefaultInstance()).build();
  }

  /** REVIVE for every role the framework has; also clears decline filters. */
  public static Call revive(FrameworkID id) {
    return base(id, Call.Type.REVIVE).setRevive(Call.Revive.getDefaultInstance()).build();
  }

  public static Call kill(FrameworkID id, TaskID task, AgentID agent) {
    Call.Kill.Builder kill = Call.Kill.newBuilder().setTaskId(task);
    if (agent != null) {
      kill.setAgentId(agent);
    }
    return base(id, Call.Type.KILL).setKill(kill).build();
  }

  public static Call shutdown(FrameworkID id, ExecutorID executor, AgentID agent) {
    return base(id, Call.Type.SHUTDOWN)
        .setShutdown(Call.Shutdown.newBuilder().setExecutorId(executor).setAgentId(agent)).build();
  }

  /** An explicit RECONCILE for these tasks, or an implicit one (every task) when the list is empty. */
  public static Call reconcile(FrameworkID id, List<TaskStatus> known) {
    Call.Reconcile.Builder reconcile = Call.Reconcile.newBuilder();
    for (TaskStatus status : known) {
      Call.Reconcile.Task.Builder task = Call.Reconcile.Task.newBuilder().setTaskId(status.getTaskId());
      if (status.hasAgentId()) {
        task.setAgentId(status.getAgentId());
      }
      reconcile.addTasks(task);
    }
    return base(id, Call.Type.RECONCILE).setReconcile(reconcile).build();
  }

  public static Call message(FrameworkID id, AgentID agent, ExecutorID executor, byte[] data) {
    return base(id, Call.Type.MESSAGE).setMessage(Call.Message.newBuilder().setAgentId(agent)
        .setExecutorId(executor).setData(ByteString.copyFrom(data))).build();
  }

  public static Call acknowledge(FrameworkID id, TaskStatus status) {
    return base(id, Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
        .setAgentId(status.getAgentId()).setTaskId(status.getTaskId()).setUuid(status.getUuid())).build();
  }

  public static Call teardown(FrameworkID id) {
    return base(id, Call.Type.TEARDOWN).build();
  }

  private static Call.Builder base(FrameworkID id, Call.Type type) {
    return Call.newBuilder().setType(type).setFrameworkId(id);
  }
}
