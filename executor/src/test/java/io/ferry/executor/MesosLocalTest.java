package io.ferry.executor;

import static io.ferry.executor.testing.MesosLocalFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ferry.api.TaskSerializer;
import io.ferry.executor.testing.FakeDriver;
import io.ferry.executor.testing.MesosLocalFixture;
import io.ferry.executor.testing.ScriptedExecutorMain;
import io.ferry.executor.testing.TestTasks;
import io.ferry.mesos.local.Await;
import io.ferry.mesos.local.agent.AgentCore;
import io.ferry.mesos.local.agent.LocalAgent;
import io.ferry.rpc.PeerConnection;
import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.Mode;
import io.ferry.rpc.proto.TaskResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The executor as a real child process of mesos-local's agent, spoken to by a raw-HTTP scheduler. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MesosLocalTest {
  @TempDir Path work;
  MesosLocalFixture mesos;
  FakeDriver driver;

  @AfterEach
  void stop() throws Exception {
    try {
      if (driver != null) {
        driver.close();
      }
    } finally {
      if (mesos != null) {
        mesos.close();
      }
    }
  }

  static ByteString script(String s) {
    return ByteString.copyFromUtf8(s);
  }

  @Test
  void tasksRunAndAreKilledWithExecutorAuthenticationOnAndTeardownEndsTheExecutor() throws Exception {
    mesos = new MesosLocalFixture(MesosLocalFixture.settings(work).withExecutorAuthentication(true), work);
    mesos.subscribe(true, FrameworkInfo.Capability.Type.TASK_KILLING_STATE);
    ExecutorInfo executor = MesosLocalFixture.executor("scripted", ScriptedExecutorMain.class,
        Environment.getDefaultInstance());
    mesos.launch(MesosLocalFixture.task("t1", executor, mesos.offer, script("finish")),
        MesosLocalFixture.task("t2", executor, mesos.offer, script("block")));
    mesos.update("t1", TaskState.TASK_RUNNING);
    mesos.update("t1", TaskState.TASK_FINISHED);
    mesos.update("t2", TaskState.TASK_RUNNING);
    mesos.kill("t2");
    mesos.update("t2", TaskState.TASK_KILLED);
    assertThat(mesos.updates("t1")).extracting(TaskStatus::getState)
        .containsExactly(TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
    assertThat(mesos.updates("t2")).extracting(TaskStatus::getState)
        .containsExactly(TaskState.TASK_RUNNING, TaskState.TASK_KILLING, TaskState.TASK_KILLED);
    assertThat(mesos.executorPids()).hasSize(1);

    mesos.teardown();
    Await.until(WAIT, "the executor to exit after TEARDOWN", () -> mesos.executorPids().isEmpty());
  }

  /** A cluster, a framework, and one scripted task running on the executor. */
  void runOne(boolean checkpoint, String script) throws Exception {
    mesos = new MesosLocalFixture(MesosLocalFixture.settings(work), work);
    mesos.subscribe(checkpoint);
    ExecutorInfo executor = MesosLocalFixture.executor("scripted", ScriptedExecutorMain.class,
        Environment.getDefaultInstance());
    mesos.launch(MesosLocalFixture.task("t1", executor, mesos.offer, script(script)));
    mesos.update("t1", TaskState.TASK_RUNNING);
  }

  @Test
  void case01_anAgentRestartLosesNoUpdateAndDuplicatesNone() throws Exception {
    runOne(true, "wait:1500");
    // The task finishes while the agent is down: its FINISHED can only reach Mesos through the
    // executor's resubscription, carried as an unacknowledged update.
    LocalAgent agent = mesos.cluster.agents().get(0);
    agent.restart(Duration.ofMillis(2500), Duration.ofMillis(300), Duration.ofSeconds(5));
    mesos.update("t1", TaskState.TASK_FINISHED);
    Await.until(WAIT, "the agent to end its recovery", () -> agent.phase() == AgentCore.Phase.RUNNING);

    Map<TaskState, List<ByteString>> uuids = mesos.updates("t1").stream().collect(Collectors.groupingBy(
        TaskStatus::getState, Collectors.mapping(TaskStatus::getUuid, Collectors.toList())));
    assertThat(uuids.keySet()).containsExactlyInAnyOrder(TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
    assertThat(uuids.get(TaskState.TASK_FINISHED).stream().distinct())
        .as("one FINISHED update (the agent may forward it again, with the same uuid)").hasSize(1);
    assertThat(uuids.get(TaskState.TASK_RUNNING).stream().distinct()).hasSize(1);
    assertThat(mesos.executorPids()).as("the executor outlived the agent restart").hasSize(1);
    assertThat(mesos.sandboxStderr()).contains("replaying 1 unacknowledged updates");
  }

  @Test
  void case02_withoutCheckpointingTheExecutorExitsWhenItsAgentRestarts() throws Exception {
    runOne(false, "block");
    assertThat(mesos.executorPids()).hasSize(1);
    mesos.cluster.agents().get(0).restart(Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofSeconds(2));
    Await.until(WAIT, "the executor to exit on losing its agent", () -> mesos.executorPids().isEmpty());
  }

  /**
   * Launch after an agent restart (issue 11): the scheduler still holds offers made before the
   * restart. A launch on one of them is refused by the master (the offer was rescinded when the
   * agent went down: TASK_LOST, REASON_INVALID_OFFERS) and never reaches the agent; the offer made
   * once the agent has reregistered runs the next task on the same executor, whose updates all
   * reach the scheduler. Before the fix the stale offer was still valid, its launch went to the
   * agent while it was down, and the task never ran.
   */
  @Test
  void case03_aTaskLaunchedAfterAnAgentRestartRunsOnTheExecutorThatLivedThroughIt() throws Exception {
    runOne(true, "finish");
    mesos.update("t1", TaskState.TASK_FINISHED);
    Await.until(WAIT, "an offer held before the restart", () -> !mesos.outstandingOffers().isEmpty());
    List<org.apache.mesos.v1.Protos.Offer> before = mesos.outstandingOffers();
    List<Long> pids = mesos.executorPids();
    assertThat(pids).hasSize(1);
    LocalAgent agent = mesos.cluster.agents().get(0);
    agent.restart(Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofSeconds(5));

    ExecutorInfo executor = MesosLocalFixture.executor("scripted", ScriptedExecutorMain.class,
        Environment.getDefaultInstance());
    org.apache.mesos.v1.Protos.Offer stale = before.get(0);
    mesos.launchOn(stale, MesosLocalFixture.task("t2", executor, stale, script("finish")));
    TaskStatus refused = mesos.update("t2", TaskState.TASK_LOST);
    assertThat(refused.getReason()).as(refused.getMessage()).isEqualTo(TaskStatus.Reason.REASON_INVALID_OFFERS);
    for (org.apache.mesos.v1.Protos.Offer o : before) {
      Await.until(WAIT, "offer " + o.getId().getValue() + " to be rescinded", () -> mesos.rescinded(o));
    }

    Await.until(WAIT, "the agent to end its recovery", () -> agent.phase() == AgentCore.Phase.RUNNING);
    org.apache.mesos.v1.Protos.Offer fresh = mesos.heldOfferOtherThan(before);
    mesos.launchOn(fresh, MesosLocalFixture.task("t3", executor, fresh, script("finish")));
    mesos.update("t3", TaskState.TASK_RUNNING);
    mesos.update("t3", TaskState.TASK_FINISHED);
    // The agent may send an update again before its ACK arrives: the same uuid.
    Map<ByteString, TaskState> byUuid = new java.util.LinkedHashMap<>();
    mesos.updates("t3").forEach(u -> byUuid.putIfAbsent(u.getUuid(), u.getState()));
    assertThat(byUuid.values()).as("t3's updates, one per uuid")
        .containsExactly(TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
    assertThat(mesos.updates("t2")).extracting(TaskStatus::getState).containsExactly(TaskState.TASK_LOST);
    assertThat(mesos.executorPids()).as("the executor that lived through the restart ran t3").isEqualTo(pids);
  }

  @Test
  void theProductionExecutorRunsADriversTaskUnderMesosLocalAndLeavesWithTheFramework() throws Exception {
    mesos = new MesosLocalFixture(MesosLocalFixture.settings(work), work);
    driver = FakeDriver.start(List.of());
    mesos.subscribe(true);
    ExecutorInfo executor = MesosLocalFixture.executor("ferry-1", FerryExecutor.class,
        Environment.getDefaultInstance());
    mesos.launch(MesosLocalFixture.task("t1", executor, mesos.offer,
        driver.launchRecord("ferry-1", Mode.FINE).toByteString()));
    PeerConnection peer = driver.peer(WAIT);
    assertThat(peer.executorId()).isEqualTo("ferry-1");
    driver.next(WAIT, Frame::hasFetchTask);
    peer.send(FakeDriver.runTask(5, "t1", new TestTasks.Echo("hi")));
    TaskResult result = driver.next(WAIT, Frame::hasTaskResult).getTaskResult();
    assertThat(result.getOutcome()).as(result.getMessage()).isEqualTo(TaskResult.Outcome.SUCCESS);
    assertThat(new TaskSerializer(getClass().getClassLoader()).deserialize(result.getValue().toByteArray()))
        .isEqualTo("hi@ferry-1#5/0");
    mesos.update("t1", TaskState.TASK_RUNNING);
    mesos.update("t1", TaskState.TASK_FINISHED);

    mesos.teardown();
    Await.until(WAIT, "the executor to exit after TEARDOWN", () -> mesos.executorPids().isEmpty());
    assertThat(driver.disconnected.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isNotNull();
  }
}
