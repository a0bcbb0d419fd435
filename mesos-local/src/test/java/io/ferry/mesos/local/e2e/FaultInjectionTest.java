package io.ferry.mesos.local.e2e;

import static io.ferry.mesos.local.e2e.ConformanceTest.agentAddress;
import static io.ferry.mesos.local.e2e.ConformanceTest.executorUpdate;
import static io.ferry.mesos.local.e2e.ConformanceTest.launch;
import static io.ferry.mesos.local.e2e.ConformanceTest.placeholder;
import static io.ferry.mesos.local.e2e.ConformanceTest.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mesos.ContentType;
import io.ferry.mesos.MesosUuids;
import io.ferry.mesos.local.Await;
import io.ferry.mesos.local.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** mesos-local's fault-injection API: lost ACKs, a cut stream, a partitioned agent. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FaultInjectionTest {

  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path work;
  LocalCluster cluster;
  RawScheduler scheduler;
  Offer offer;

  @BeforeEach
  void start() throws Exception {
    cluster = LocalCluster.start(LocalCluster.Settings.parse("local-cluster[1,2,1024]", work)
        .withAllocationInterval(Duration.ofMillis(100)).withUpdateRetry(Duration.ofMillis(300)));
    scheduler = new RawScheduler(cluster.masterUrl());
    assertThat(scheduler.subscribe(ConformanceTest.framework(60), ContentType.JSON)).isEqualTo(200);
    offer = scheduler.next(WAIT, e -> e.getType() == Event.Type.OFFERS).getOffers().getOffers(0);
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

  RawExecutor running(String taskId, String executorId) throws Exception {
    scheduler.call(scheduler.callOf(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder().addOfferIds(offer.getId())
        .addOperations(launch(task(taskId, offer, placeholder(executorId))))).build());
    RawExecutor ex = new RawExecutor(agentAddress(offer), scheduler.frameworkId, ExecutorID.newBuilder().setValue(executorId).build());
    Await.until(WAIT, "the executor to subscribe",
        () -> ex.subscribe(org.apache.mesos.v1.executor.Protos.Call.Subscribe.getDefaultInstance()) == 200);
    ex.next(WAIT, e -> e.getType() == org.apache.mesos.v1.executor.Protos.Event.Type.LAUNCH);
    return ex;
  }

  TaskStatus update(String taskId) throws Exception {
    return scheduler.next(WAIT, e -> e.getType() == Event.Type.UPDATE
        && e.getUpdate().getStatus().getTaskId().getValue().equals(taskId)).getUpdate().getStatus();
  }

  void ack(TaskStatus s) throws Exception {
    scheduler.call(scheduler.callOf(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
        .setAgentId(s.getAgentId()).setTaskId(s.getTaskId()).setUuid(s.getUuid())).build());
  }

  @Test
  void aLostAcknowledgementMakesTheAgentSendTheUpdateAgain() throws Exception {
    try (RawExecutor ex = running("t1", "e1")) {
      ex.call(executorUpdate(ex, "t1", TaskState.TASK_FINISHED, TaskStatus.Source.SOURCE_EXECUTOR, MesosUuids.random()));
      TaskStatus first = update("t1");
      cluster.master().dropAcknowledgements(1);
      ack(first);
      TaskStatus again = update("t1");
      assertThat(again.getUuid()).isEqualTo(first.getUuid());
      ack(again);
      Await.during(Duration.ofSeconds(1), () -> assertThat(scheduler.events).noneMatch(e -> e.getType() == Event.Type.UPDATE));
    }
  }

  @Test
  void aKilledExecutorFailsItsTasks() throws Exception {
    try (RawExecutor ex = running("t4", "e4")) {
      // The raw executor subscribes over HTTP while the agent may still be starting the task's
      // placeholder process (the container): kill it once it exists.
      Await.until(WAIT, "the executor's container to start, to kill it",
          () -> cluster.agents().get(0).killExecutor(scheduler.frameworkId.getValue(), "e4"));
      TaskStatus s = update("t4");
      assertThat(s.getState()).isEqualTo(TaskState.TASK_FAILED);
      assertThat(s.getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_TERMINATED);
      assertThat(scheduler.next(WAIT, e -> e.getType() == Event.Type.FAILURE).getFailure().getStatus()).isEqualTo(9);
    }
  }

  @Test
  void aCutStreamDisconnectsTheFramework() throws Exception {
    cluster.master().cutStream(scheduler.frameworkId.getValue());
    Await.until(WAIT, "calls to be refused as disconnected",
        () -> scheduler.call(scheduler.callOf(Call.Type.REVIVE).build()).statusCode() == 403);
  }

  @Test
  void aPartitionedAgentIsUnreachableAndItsUpdatesArriveAfterTheHeal() throws Exception {
    try (RawExecutor ex = running("t3", "e3")) {
      ex.call(executorUpdate(ex, "t3", TaskState.TASK_RUNNING, TaskStatus.Source.SOURCE_EXECUTOR, MesosUuids.random()));
      ack(update("t3"));
      Offer held = scheduler.next(WAIT, e -> e.getType() == Event.Type.OFFERS).getOffers().getOffers(0);
      String agentId = held.getAgentId().getValue();
      cluster.master().partition(agentId);
      assertThat(scheduler.next(WAIT, e -> e.getType() == Event.Type.RESCIND).getRescind().getOfferId()).isEqualTo(held.getId());
      TaskStatus unreachable = update("t3");
      assertThat(unreachable.getState()).isEqualTo(TaskState.TASK_UNREACHABLE);
      assertThat(unreachable.hasUuid()).isFalse();
      Event failure = scheduler.next(WAIT, e -> e.getType() == Event.Type.FAILURE);
      assertThat(failure.getFailure().getAgentId().getValue()).isEqualTo(agentId);
      assertThat(failure.getFailure().hasExecutorId()).isFalse();

      ex.call(executorUpdate(ex, "t3", TaskState.TASK_FINISHED, TaskStatus.Source.SOURCE_EXECUTOR, MesosUuids.random()));
      Await.during(Duration.ofSeconds(1), () -> assertThat(scheduler.events).noneMatch(e -> e.getType() == Event.Type.UPDATE));
      cluster.master().heal(agentId);
      TaskStatus finished = update("t3");
      assertThat(finished.getState()).isEqualTo(TaskState.TASK_FINISHED);
      ack(finished);
      scheduler.next(WAIT, e -> e.getType() == Event.Type.OFFERS);
    }
  }
}
