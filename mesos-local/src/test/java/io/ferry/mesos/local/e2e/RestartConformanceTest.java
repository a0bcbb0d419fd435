package io.ferry.mesos.local.e2e;

import static io.ferry.mesos.local.e2e.ConformanceTest.agentAddress;
import static io.ferry.mesos.local.e2e.ConformanceTest.executorUpdate;
import static io.ferry.mesos.local.e2e.ConformanceTest.launch;
import static io.ferry.mesos.local.e2e.ConformanceTest.placeholder;
import static io.ferry.mesos.local.e2e.ConformanceTest.task;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ferry.mesos.ContentType;
import io.ferry.mesos.MesosUuids;
import io.ferry.mesos.local.Await;
import io.ferry.mesos.local.LocalCluster;
import io.ferry.mesos.local.agent.AgentCore;
import io.ferry.mesos.local.agent.LocalAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Agent restart: the digest's edge cases 1, 2 and 4, and the 503 windows, over raw HTTP. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RestartConformanceTest {

  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path work;
  LocalCluster cluster;
  RawScheduler scheduler;
  LocalAgent agent;

  @BeforeEach
  void start() throws Exception {
    cluster = LocalCluster.start(LocalCluster.Settings.parse("local-cluster[1,2,1024]", work)
        .withAllocationInterval(Duration.ofMillis(100)).withUpdateRetry(Duration.ofMillis(300)));
    agent = cluster.agents().get(0);
    scheduler = new RawScheduler(cluster.masterUrl());
  }

  @AfterEach
  void stop() throws Exception {
    if (scheduler != null) {
      scheduler.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  Offer subscribe(boolean checkpoint) throws Exception {
    FrameworkInfo info = ConformanceTest.framework(60).toBuilder().setCheckpoint(checkpoint).build();
    assertThat(scheduler.subscribe(info, ContentType.JSON)).isEqualTo(200);
    return scheduler.next(WAIT, e -> e.getType() == org.apache.mesos.v1.scheduler.Protos.Event.Type.OFFERS)
        .getOffers().getOffers(0);
  }

  RawExecutor subscribeAs(Offer offer, String executorId, Call.Subscribe subscribe) throws Exception {
    RawExecutor ex = new RawExecutor(agentAddress(offer), scheduler.frameworkId, ExecutorID.newBuilder().setValue(executorId).build());
    Await.until(WAIT, "executor " + executorId + " to subscribe", () -> ex.subscribe(subscribe) == 200);
    return ex;
  }

  TaskStatus update(String taskId) throws Exception {
    return scheduler.next(WAIT, e -> e.getType() == org.apache.mesos.v1.scheduler.Protos.Event.Type.UPDATE
        && e.getUpdate().getStatus().getTaskId().getValue().equals(taskId)).getUpdate().getStatus();
  }

  void ack(TaskStatus s) throws Exception {
    scheduler.call(scheduler.callOf(org.apache.mesos.v1.scheduler.Protos.Call.Type.ACKNOWLEDGE)
        .setAcknowledge(org.apache.mesos.v1.scheduler.Protos.Call.Acknowledge.newBuilder().setAgentId(s.getAgentId())
            .setTaskId(s.getTaskId()).setUuid(s.getUuid())).build());
  }

  @Test
  void case01_unacknowledgedUpdatesSurviveARestartOnceAndLateExecutorsAreGone() throws Exception {
    Offer offer = subscribe(true);
    TaskInfo t1 = task("t1", offer, placeholder("e1"));
    TaskInfo t2 = task("t2", offer, placeholder("e2"));
    scheduler.call(scheduler.callOf(org.apache.mesos.v1.scheduler.Protos.Call.Type.ACCEPT).setAccept(
        org.apache.mesos.v1.scheduler.Protos.Call.Accept.newBuilder().addOfferIds(offer.getId())
            .addOperations(launch(t1, t2))).build());
    RawExecutor e1 = subscribeAs(offer, "e1", Call.Subscribe.getDefaultInstance());
    RawExecutor e2 = subscribeAs(offer, "e2", Call.Subscribe.getDefaultInstance());
    e1.next(WAIT, e -> e.getType() == Event.Type.LAUNCH);
    e2.next(WAIT, e -> e.getType() == Event.Type.LAUNCH);
    e2.call(executorUpdate(e2, "t2", TaskState.TASK_RUNNING, TaskStatus.Source.SOURCE_EXECUTOR, MesosUuids.random()));
    ack(update("t2"));
    Call finished = executorUpdate(e1, "t1", TaskState.TASK_FINISHED, TaskStatus.Source.SOURCE_EXECUTOR, MesosUuids.random());
    ByteString uuid = finished.getUpdate().getStatus().getUuid();
    assertThat(e1.call(finished).statusCode()).isEqualTo(202);
    e1.next(WAIT, e -> e.getType() == Event.Type.ACKNOWLEDGED);

    agent.restart(Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(4));
    e1.close();
    e2.close();
    RawExecutor during = new RawExecutor(agentAddress(offer), scheduler.frameworkId, ExecutorID.newBuilder().setValue("e1").build());
    assertThat(during.subscribe(Call.Subscribe.getDefaultInstance())).as("containerizer recovering").isEqualTo(503);

    // e1 comes back as an executor that never saw the ACK for its update; e2 never comes back.
    RawExecutor back = subscribeAs(offer, "e1", Call.Subscribe.newBuilder().addUnacknowledgedTasks(t1)
        .addUnacknowledgedUpdates(finished.getUpdate()).build());
    back.next(WAIT, e -> e.getType() == Event.Type.ACKNOWLEDGED && e.getAcknowledged().getUuid().equals(uuid));
    assertThat(agent.phase()).isEqualTo(AgentCore.Phase.RECOVERING);
    assertThat(back.call(executorUpdate(back, "t1", TaskState.TASK_RUNNING, TaskStatus.Source.SOURCE_EXECUTOR,
        MesosUuids.random())).statusCode()).as("other calls while recovering").isEqualTo(503);
    java.net.http.HttpResponse<String> state = scheduler.http.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://" + agentAddress(offer) + "/slave(1)/state")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(state.statusCode()).as("the agent's state while recovering").isEqualTo(503);
    assertThat(state.body()).isEqualTo("Agent has not finished recovery");

    TaskStatus done = update("t1");
    assertThat(done.getState()).isEqualTo(TaskState.TASK_FINISHED);
    assertThat(done.getUuid()).isEqualTo(uuid);
    ack(done);
    TaskStatus gone = update("t2");
    assertThat(gone.getState()).isEqualTo(TaskState.TASK_GONE);
    assertThat(gone.getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_REREGISTRATION_TIMEOUT);
    ack(gone);
    // After recovery the agent's state shows e2's task gone, with the reason, among completed executors.
    Await.until(WAIT, "the agent's state to show t2 gone", () -> {
      java.net.http.HttpResponse<String> after = scheduler.http.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://" + agentAddress(offer) + "/slave(1)/state")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      return after.statusCode() == 200 && after.body().contains("\"state\":\"TASK_GONE\"")
          && after.body().contains("REASON_EXECUTOR_REREGISTRATION_TIMEOUT");
    });
    assertThat(scheduler.seen).filteredOn(e -> e.getType() == org.apache.mesos.v1.scheduler.Protos.Event.Type.UPDATE
        && e.getUpdate().getStatus().getTaskId().getValue().equals("t1"))
        .extracting(e -> e.getUpdate().getStatus().getUuid()).containsOnly(uuid);
    back.close();
  }

  @Test
  void case02_withoutCheckpointingAnExecutorCannotSubscribeAfterARestart() throws Exception {
    Offer offer = subscribe(false);
    scheduler.call(scheduler.callOf(org.apache.mesos.v1.scheduler.Protos.Call.Type.ACCEPT).setAccept(
        org.apache.mesos.v1.scheduler.Protos.Call.Accept.newBuilder().addOfferIds(offer.getId())
            .addOperations(launch(task("t2", offer, placeholder("e2"))))).build());
    RawExecutor e = subscribeAs(offer, "e2", Call.Subscribe.getDefaultInstance());
    e.next(WAIT, ev -> ev.getType() == Event.Type.LAUNCH);
    agent.restart(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(2));
    e.close();
    RawExecutor again = new RawExecutor(agentAddress(offer), scheduler.frameworkId, ExecutorID.newBuilder().setValue("e2").build());
    Await.until(WAIT, "a 400 for the unrecovered executor", () -> again.subscribe(Call.Subscribe.getDefaultInstance()) == 400);
    TaskStatus lost = update("t2");
    assertThat(lost.getState()).isEqualTo(TaskState.TASK_DROPPED);
    assertThat(lost.getReason()).isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
  }

  @Test
  void case04_aDeliveredTaskLeftOutOfUnacknowledgedTasksWasLostInTheRestart() throws Exception {
    Offer offer = subscribe(true);
    scheduler.call(scheduler.callOf(org.apache.mesos.v1.scheduler.Protos.Call.Type.ACCEPT).setAccept(
        org.apache.mesos.v1.scheduler.Protos.Call.Accept.newBuilder().addOfferIds(offer.getId())
            .addOperations(launch(task("t4", offer, placeholder("e4"))))).build());
    RawExecutor e = subscribeAs(offer, "e4", Call.Subscribe.getDefaultInstance());
    e.next(WAIT, ev -> ev.getType() == Event.Type.LAUNCH);
    agent.restart(Duration.ZERO, Duration.ofMillis(100), Duration.ofSeconds(4));
    e.close();
    RawExecutor back = subscribeAs(offer, "e4", Call.Subscribe.getDefaultInstance());
    TaskStatus s = update("t4");
    assertThat(s.getState()).isEqualTo(TaskState.TASK_DROPPED);
    assertThat(s.getReason()).isEqualTo(TaskStatus.Reason.REASON_AGENT_RESTARTED);
    assertThat(s.getSource()).isEqualTo(TaskStatus.Source.SOURCE_AGENT);
    back.close();
  }

}
