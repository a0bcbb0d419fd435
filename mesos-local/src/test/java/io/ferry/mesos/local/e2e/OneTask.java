package io.ferry.mesos.local.e2e;

import static io.ferry.mesos.local.e2e.LocalClusterTest.scalar;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mesos.ContentType;
import io.ferry.mesos.local.LocalCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * A framework of one user that runs one task on a cluster and follows its updates, over raw
 * HTTP: the smallest scheduler for tests about how an agent runs a task.
 */
final class OneTask implements AutoCloseable {

  private final RawScheduler scheduler;
  final List<TaskStatus> updates = new ArrayList<>();

  private OneTask(RawScheduler scheduler) {
    this.scheduler = scheduler;
  }

  /** Subscribes as a framework whose {@code FrameworkInfo.user} is {@code user}. */
  static OneTask subscribe(LocalCluster cluster, String user) throws Exception {
    return subscribe(cluster, user, true);
  }

  /** As {@link #subscribe(LocalCluster, String)}, with or without {@code FrameworkInfo.checkpoint}. */
  static OneTask subscribe(LocalCluster cluster, String user, boolean checkpoint) throws Exception {
    RawScheduler scheduler = new RawScheduler(cluster.masterUrl());
    FrameworkInfo framework = FrameworkInfo.newBuilder().setUser(user).setName("one-task")
        .setCheckpoint(checkpoint).setFailoverTimeout(0).build();
    assertThat(scheduler.subscribe(framework, ContentType.PROTOBUF)).isEqualTo(200);
    return new OneTask(scheduler);
  }

  /** The framework's ID, given at SUBSCRIBED. */
  String frameworkId() {
    return scheduler.frameworkId.getValue();
  }

  /** A command task (run by the built-in command executor) fetching {@code uris}. */
  static TaskInfo.Builder command(String id, String command, String... uris) {
    CommandInfo.Builder info = CommandInfo.newBuilder().setValue(command);
    for (String uri : uris) {
      info.addUris(CommandInfo.URI.newBuilder().setValue(uri));
    }
    return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
        .addResources(scalar("cpus", 0.1)).addResources(scalar("mem", 64)).setCommand(info);
  }

  /** A task run by a custom executor whose command is {@code executorCommand}. */
  static TaskInfo.Builder withExecutor(String id, String executorCommand) {
    return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
        .addResources(scalar("cpus", 0.1)).addResources(scalar("mem", 32))
        .setExecutor(ExecutorInfo.newBuilder().setExecutorId(org.apache.mesos.v1.Protos.ExecutorID.newBuilder()
            .setValue("executor-" + id)).setCommand(CommandInfo.newBuilder().setValue(executorCommand))
            .addResources(scalar("cpus", 0.1)).addResources(scalar("mem", 32)));
  }

  /** Launches {@code task} on the first offer. */
  void launch(TaskInfo.Builder task) throws Exception {
    Offer offer = scheduler.next(Duration.ofSeconds(10), e -> e.getType() == Event.Type.OFFERS)
        .getOffers().getOffers(0);
    task.setAgentId(offer.getAgentId());
    assertThat(scheduler.call(scheduler.callOf(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
        .addOfferIds(offer.getId()).addOperations(Offer.Operation.newBuilder()
            .setType(Offer.Operation.Type.LAUNCH)
            .setLaunch(Offer.Operation.Launch.newBuilder().addTaskInfos(task)))).build()).statusCode())
        .isEqualTo(202);
  }

  /** Every update until a terminal one (acknowledged as they come); returns the terminal one. */
  TaskStatus awaitTerminal(Duration timeout) throws Exception {
    while (true) {
      TaskStatus status = scheduler.next(timeout, e -> e.getType() == Event.Type.UPDATE).getUpdate().getStatus();
      updates.add(status);
      if (status.hasUuid()) {
        scheduler.call(scheduler.callOf(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
            .setAgentId(status.getAgentId()).setTaskId(status.getTaskId()).setUuid(status.getUuid())).build());
      }
      switch (status.getState()) {
        case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_LOST, TASK_ERROR, TASK_DROPPED, TASK_GONE -> {
          return status;
        }
        default -> { }
      }
    }
  }

  @Override
  public void close() throws Exception {
    scheduler.close();
  }
}
