package io.ferry.mesos.local.e2e;

import static io.ferry.mesos.local.e2e.LocalClusterTest.scalar;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ferry.mesos.ContentType;
import io.ferry.mesos.MesosUuids;
import io.ferry.mesos.local.Await;
import io.ferry.mesos.local.LocalCluster;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol digest's edge cases (section 6), each spoken over raw HTTP to mesos-local: the test
 * is the scheduler, and where a case needs exact executor calls, the executor too (the agent runs a
 * placeholder process in its name). Numbers refer to the digest's list.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConformanceTest {

  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path work;
  LocalCluster cluster;
  RawScheduler scheduler;

  @BeforeEach
  void start() throws Exception {
    cluster = LocalCluster.start(LocalCluster.Settings.parse("local-cluster[2,2,1024]", work)
        .withAllocationInterval(Duration.ofMillis(100)).withUpdateRetry(Duration.ofMillis(300))
        .withRegistrationTimeout(Duration.ofSeconds(2)).withShutdownGracePeriod(Duration.ofSeconds(1)));
    scheduler = new RawScheduler(cluster.masterUrl());
    assertThat(scheduler.subscribe(framework(60), ContentType.JSON)).isEqualTo(200);
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

  static FrameworkInfo framework(double failoverTimeout) {
    return FrameworkInfo.newBuilder().setUser(System.getProperty("user.name")).setName("conformance")
        .setFailoverTimeout(failoverTimeout).setCheckpoint(true)
        .addCapabilities(FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.PARTITION_AWARE))
        .addCapabilities(FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.TASK_KILLING_STATE))
        .build();
  }

  /** An executor whose process only records its pid and sleeps: the test speaks in its name. */
  static ExecutorInfo placeholder(String id) {
    return ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue(id))
        .setCommand(CommandInfo.newBuilder().setValue("echo $$ > executor.pid; exec sleep 300"))
        .addResources(scalar("cpus", 0.1)).addResources(scalar("mem", 32)).build();
  }

  static TaskInfo task(String id, Offer offer, ExecutorInfo executor) {
    return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id)).setAgentId(offer.getAgentId())
        .addResources(scalar("cpus", 0.25)).addResources(scalar("mem", 32)).setExecutor(executor).build();
  }

  Offer offer() throws Exception {
    return scheduler.next(WAIT, e -> e.getType() == Event.Type.OFFERS).getOffers().getOffers(0);
  }

  HttpResponse<String> accept(List<Offer.Operation> operations, Offer... offers) throws Exception {
    Call.Accept.Builder accept = Call.Accept.newBuilder().addAllOperations(operations)
        .setFilters(Filters.newBuilder().setRefuseSeconds(0));
    for (Offer o : offers) {
      accept.addOfferIds(o.getId());
    }
    return scheduler.call(scheduler.callOf(Call.Type.ACCEPT).setAccept(accept).build());
  }

  static Offer.Operation launch(TaskInfo... tasks) {
    return Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
        .setLaunch(Offer.Operation.Launch.newBuilder().addAllTaskInfos(List.of(tasks))).build();
  }

  TaskStatus update(String taskId) throws Exception {
    return scheduler.next(WAIT, e -> e.getType() == Event.Type.UPDATE
        && e.getUpdate().getStatus().getTaskId().getValue().equals(taskId)).getUpdate().getStatus();
  }

  void ack(TaskStatus s) throws Exception {
    assertThat(scheduler.call(scheduler.callOf(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
        .setAgentId(s.getAgentId()).setTaskId(s.getTaskId()).setUuid(s.getUuid())).build()).statusCode()).isEqualTo(202);
  }

  static String agentAddress(Offer offer) {
    return offer.getUrl().getAddress().getIp() + ":" + offer.getUrl().getAddress().getPort();
  }

  /** Launches {@code taskId} on a placeholder executor and subscribes in its name; the LAUNCH has arrived. */
  RawExecutor deliver(Offer offer, String taskId, String executorId) throws Exception {
    assertThat(accept(List.of(launch(task(taskId, offer, placeholder(executorId)))), offer).statusCode()).isEqualTo(202);
    RawExecutor executor = new RawExecutor(agentAddress(offer), scheduler.frameworkId,
        ExecutorID.newBuilder().setValue(executorId).build());
    Await.until(WAIT, "the executor to be known to its agent", () -> executor.subscribe(
        org.apache.mesos.v1.executor.Protos.Call.Subscribe.getDefaultInstance()) == 200);
    executor.next(WAIT, e -> e.getType() == org.apache.mesos.v1.executor.Protos.Event.Type.LAUNCH);
    return executor;
  }

  static org.apache.mesos.v1.executor.Protos.Call executorUpdate(RawExecutor ex, String taskId, TaskState state,
      TaskStatus.Source source, ByteString uuid) {
    TaskStatus.Builder s = TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue(taskId)).setState(state)
        .setSource(source);
    if (uuid != null) {
      s.setUuid(uuid);
    }
    return ex.callOf(org.apache.mesos.v1.executor.Protos.Call.Type.UPDATE)
        .setUpdate(org.apache.mesos.v1.executor.Protos.Call.Update.newBuilder().setStatus(s)).build();
  }

  // ---- The cases -----------------------------------------------------------------------------

  @Test
  void case03_anExecutorThatNeverSubscribesTimesOut() throws Exception {
    Offer offer = offer();
    accept(List.of(launch(task("t3", offer, placeholder("e3")))), offer);
    TaskStatus s = update("t3");
    assertThat(s.getState()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(s.getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_REGISTRATION_TIMEOUT);
    assertThat(s.getSource()).isEqualTo(TaskStatus.Source.SOURCE_AGENT);
    scheduler.next(WAIT, e -> e.getType() == Event.Type.FAILURE && e.getFailure().getExecutorId().getValue().equals("e3"));
  }

  @Test
  void case05_killOfAnUnknownTaskIsAReconciliationWithoutUuid() throws Exception {
    scheduler.call(scheduler.callOf(Call.Type.KILL).setKill(Call.Kill.newBuilder().setTaskId(TaskID.newBuilder().setValue("ghost"))).build());
    TaskStatus s = update("ghost");
    assertThat(s.getState()).isEqualTo(TaskState.TASK_UNKNOWN);
    assertThat(s.hasUuid()).isFalse();
    assertThat(s.getReason()).isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
    assertThat(s.getSource()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
  }

  @Test
  void case06_killBeforeTheExecutorSubscribesIsAnsweredByTheAgent() throws Exception {
    Offer offer = offer();
    accept(List.of(launch(task("t6", offer, placeholder("e6")))), offer);
    scheduler.call(scheduler.callOf(Call.Type.KILL).setKill(Call.Kill.newBuilder().setTaskId(TaskID.newBuilder().setValue("t6"))).build());
    TaskStatus s = update("t6");
    assertThat(s.getState()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(s.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_KILLED_DURING_LAUNCH);
    assertThat(MesosUuids.isValid(s.getUuid())).isTrue();
  }

  @Test
  void case07_killOfATerminalUnacknowledgedTaskStillReachesTheExecutorButNoSecondTerminalUpdate() throws Exception {
    Offer offer = offer();
    try (RawExecutor ex = deliver(offer, "t7", "e7")) {
      assertThat(ex.call(executorUpdate(ex, "t7", TaskState.TASK_FINISHED, TaskStatus.Source.SOURCE_EXECUTOR, MesosUuids.random()))
          .statusCode()).isEqualTo(202);
      TaskStatus finished = update("t7");
      assertThat(finished.getState()).isEqualTo(TaskState.TASK_FINISHED);
      scheduler.call(scheduler.callOf(Call.Type.KILL).setKill(Call.Kill.newBuilder().setTaskId(finished.getTaskId())).build());
      ex.next(WAIT, e -> e.getType() == org.apache.mesos.v1.executor.Protos.Event.Type.KILL);
      ByteString killedUuid = MesosUuids.random();
      assertThat(ex.call(executorUpdate(ex, "t7", TaskState.TASK_KILLED, TaskStatus.Source.SOURCE_EXECUTOR, killedUuid))
          .statusCode()).isEqualTo(202);
      ex.next(WAIT, e -> e.getType() == org.apache.mesos.v1.executor.Protos.Event.Type.ACKNOWLEDGED
          && e.getAcknowledged().getUuid().equals(killedUuid));
      ack(finished);
      // Several retry intervals: a forwarded TASK_KILLED would have arrived by now.
      Await.during(Duration.ofSeconds(2), () -> assertThat(scheduler.seen).noneMatch(e -> e.getType() == Event.Type.UPDATE
          && e.getUpdate().getStatus().getState() == TaskState.TASK_KILLED));
    }
  }

  @Test
  void case08_aDuplicateTaskIdWithinOneAcceptIsATaskError() throws Exception {
    Offer offer = offer();
    ExecutorInfo e = placeholder("e8");
    accept(List.of(launch(task("t8", offer, e), task("t8", offer, e))), offer);
    assertThat(update("t8").getState()).isEqualTo(TaskState.TASK_ERROR);
  }

  @Test
  void case09_aUsedOfferOrOffersOnTwoAgentsDropTheTasks() throws Exception {
    Event offers = scheduler.next(WAIT, e -> e.getType() == Event.Type.OFFERS && e.getOffers().getOffersCount() == 2);
    Offer a = offers.getOffers().getOffers(0);
    Offer b = offers.getOffers().getOffers(1);
    assertThat(accept(List.of(launch(task("t9a", a, placeholder("e9")))), a, b).statusCode()).isEqualTo(202);
    TaskStatus twoAgents = update("t9a");
    assertThat(twoAgents.getState()).isEqualTo(TaskState.TASK_DROPPED);
    assertThat(twoAgents.getReason()).isEqualTo(TaskStatus.Reason.REASON_INVALID_OFFERS);
    accept(List.of(launch(task("t9b", a, placeholder("e9")))), a);
    assertThat(update("t9b").getReason()).isEqualTo(TaskStatus.Reason.REASON_INVALID_OFFERS);
  }

  @Test
  void case10_reusingAnExecutorIdWithAnotherExecutorInfoIsATaskError() throws Exception {
    Offer offer = offer();
    ExecutorInfo other = placeholder("e10").toBuilder().setCommand(CommandInfo.newBuilder().setValue("exec sleep 301")).build();
    accept(List.of(launch(task("t10a", offer, placeholder("e10")), task("t10b", offer, other))), offer);
    TaskStatus s = update("t10b");
    assertThat(s.getState()).isEqualTo(TaskState.TASK_ERROR);
    assertThat(s.getMessage()).contains("not compatible");
  }

  @Test
  void case11_badUpdatesAre400() throws Exception {
    try (RawExecutor ex = deliver(offer(), "t11", "e11")) {
      assertThat(ex.call(executorUpdate(ex, "t11", TaskState.TASK_RUNNING, TaskStatus.Source.SOURCE_EXECUTOR,
          ByteString.copyFromUtf8("0123456789abcdef"))).statusCode()).isEqualTo(400);
      assertThat(ex.call(executorUpdate(ex, "t11", TaskState.TASK_RUNNING, TaskStatus.Source.SOURCE_MASTER,
          MesosUuids.random())).statusCode()).isEqualTo(400);
      assertThat(ex.call(executorUpdate(ex, "t11", TaskState.TASK_STAGING, TaskStatus.Source.SOURCE_EXECUTOR,
          MesosUuids.random())).statusCode()).isEqualTo(400);
    }
  }

  @Test
  void case12_aWrongAgentIdIsNeverAcknowledgedAndASecondTerminalUpdateIsAcknowledgedButDropped() throws Exception {
    try (RawExecutor ex = deliver(offer(), "t12", "e12")) {
      org.apache.mesos.v1.executor.Protos.Call wrong = executorUpdate(ex, "t12", TaskState.TASK_RUNNING,
          TaskStatus.Source.SOURCE_EXECUTOR, MesosUuids.random());
      wrong = wrong.toBuilder().setUpdate(wrong.getUpdate().toBuilder().setStatus(wrong.getUpdate().getStatus().toBuilder()
          .setAgentId(AgentID.newBuilder().setValue("not-this-agent")))).build();
      assertThat(ex.call(wrong).statusCode()).isEqualTo(202);
      ByteString failed = MesosUuids.random();
      ByteString finished = MesosUuids.random();
      ex.call(executorUpdate(ex, "t12", TaskState.TASK_FAILED, TaskStatus.Source.SOURCE_EXECUTOR, failed));
      ex.call(executorUpdate(ex, "t12", TaskState.TASK_FINISHED, TaskStatus.Source.SOURCE_EXECUTOR, finished));
      ex.next(WAIT, e -> e.getType() == org.apache.mesos.v1.executor.Protos.Event.Type.ACKNOWLEDGED
          && e.getAcknowledged().getUuid().equals(finished));
      assertThat(ex.seen).filteredOn(e -> e.getType() == org.apache.mesos.v1.executor.Protos.Event.Type.ACKNOWLEDGED)
          .extracting(e -> e.getAcknowledged().getUuid()).containsExactly(failed, finished);
      TaskStatus first = update("t12");
      assertThat(first.getState()).isEqualTo(TaskState.TASK_FAILED);
      ack(first);
      assertThat(scheduler.seen).noneMatch(e -> e.getType() == Event.Type.UPDATE
          && e.getUpdate().getStatus().getState() == TaskState.TASK_RUNNING);
    }
  }

  @Test
  void case13_anUnacknowledgedUpdateIsResentAndLaterOnesWaitBehindIt() throws Exception {
    try (RawExecutor ex = deliver(offer(), "t13", "e13")) {
      ex.call(executorUpdate(ex, "t13", TaskState.TASK_RUNNING, TaskStatus.Source.SOURCE_EXECUTOR, MesosUuids.random()));
      ex.call(executorUpdate(ex, "t13", TaskState.TASK_FINISHED, TaskStatus.Source.SOURCE_EXECUTOR, MesosUuids.random()));
      TaskStatus running = update("t13");
      TaskStatus again = update("t13");
      assertThat(again.getState()).isEqualTo(TaskState.TASK_RUNNING);
      assertThat(again.getUuid()).isEqualTo(running.getUuid());
      ack(running);
      assertThat(update("t13").getState()).isEqualTo(TaskState.TASK_FINISHED);
    }
  }

  @Test
  void case14_aStaleStreamIdIs400AndAfterADisconnectCallsAre403() throws Exception {
    RawScheduler second = new RawScheduler(cluster.masterUrl());
    assertThat(second.subscribe(framework(60), ContentType.PROTOBUF)).isEqualTo(200);
    String oldStream = second.streamId;
    second.streamId = "stale";
    assertThat(second.call(second.callOf(Call.Type.REVIVE).build()).statusCode()).isEqualTo(400);
    second.streamId = oldStream;
    second.close();
    Await.until(WAIT, "the master to see the disconnect",
        () -> second.call(second.callOf(Call.Type.REVIVE).build()).statusCode() == 403);
  }

  @Test
  void case15_aSecondSubscribeFailsTheFirstStreamOver() throws Exception {
    RawScheduler again = new RawScheduler(cluster.masterUrl());
    assertThat(again.subscribe(framework(60).toBuilder().setId(scheduler.frameworkId).build(), ContentType.JSON)).isEqualTo(200);
    assertThat(again.frameworkId).isEqualTo(scheduler.frameworkId);
    Event error = scheduler.next(WAIT, e -> e.getType() == Event.Type.ERROR);
    assertThat(error.getError().getMessage()).isEqualTo("Framework failed over");
    again.close();
  }

  @Test
  void case16_zeroFailoverTimeoutShutsTheExecutorsDownAndTheFrameworkIsRemoved() throws Exception {
    // The first framework steps aside so that the second one gets offers.
    Event held = scheduler.next(WAIT, e -> e.getType() == Event.Type.OFFERS);
    scheduler.call(scheduler.callOf(Call.Type.SUPPRESS).build());
    Call.Decline.Builder decline = Call.Decline.newBuilder().setFilters(Filters.newBuilder().setRefuseSeconds(1e9));
    held.getOffers().getOffersList().forEach(o -> decline.addOfferIds(o.getId()));
    scheduler.call(scheduler.callOf(Call.Type.DECLINE).setDecline(decline).build());
    RawScheduler quick = new RawScheduler(cluster.masterUrl());
    assertThat(quick.subscribe(framework(0), ContentType.JSON)).isEqualTo(200);
    Offer offer = quick.next(WAIT, e -> e.getType() == Event.Type.OFFERS).getOffers().getOffers(0);
    quick.call(quick.callOf(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder().addOfferIds(offer.getId())
        .addOperations(launch(task("t16", offer, placeholder("e16"))))).build());
    RawExecutor ex = new RawExecutor(agentAddress(offer), quick.frameworkId, ExecutorID.newBuilder().setValue("e16").build());
    Await.until(WAIT, "the executor to be known", () -> ex.subscribe(
        org.apache.mesos.v1.executor.Protos.Call.Subscribe.getDefaultInstance()) == 200);
    quick.close();
    ex.next(WAIT, e -> e.getType() == org.apache.mesos.v1.executor.Protos.Event.Type.SHUTDOWN);
    ex.close();
    RawScheduler back = new RawScheduler(cluster.masterUrl());
    assertThat(back.subscribe(framework(0).toBuilder().setId(quick.frameworkId).build(), ContentType.JSON)).isEqualTo(200);
    assertThat(back.seen.get(0).getType()).isEqualTo(Event.Type.ERROR);
    assertThat(back.seen.get(0).getError().getMessage()).isEqualTo("Framework has been removed");
    back.close();
  }

  @Test
  void case17_aCrashedExecutorFailsItsTasksAndTheSchedulerHearsFailure() throws Exception {
    Offer offer = offer();
    try (RawExecutor ex = deliver(offer, "t17", "e17")) {
      long[] pid = {0};
      Await.until(WAIT, "the placeholder executor's pid", () -> {
        try (Stream<Path> files = Files.walk(work)) {
          Path pidFile = files.filter(p -> p.getFileName().toString().equals("executor.pid")).findFirst().orElse(null);
          String text = pidFile == null ? "" : Files.readString(pidFile).trim();
          pid[0] = text.matches("\\d+") ? Long.parseLong(text) : 0;
          return pid[0] > 0 && ProcessHandle.of(pid[0]).map(ProcessHandle::isAlive).orElse(false);
        }
      });
      ProcessHandle.of(pid[0]).orElseThrow().destroyForcibly();
      TaskStatus s = update("t17");
      assertThat(s.getState()).isEqualTo(TaskState.TASK_FAILED);
      assertThat(s.getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_TERMINATED);
      Event failure = scheduler.next(WAIT, e -> e.getType() == Event.Type.FAILURE);
      assertThat(failure.getFailure().getExecutorId().getValue()).isEqualTo("e17");
      assertThat(failure.getFailure().getStatus()).isEqualTo(9);
    }
  }

  @Test
  void case18_refuseSecondsAndRevive() throws Exception {
    Event first = scheduler.next(WAIT, e -> e.getType() == Event.Type.OFFERS);
    Call.Decline.Builder forever = Call.Decline.newBuilder().setFilters(Filters.newBuilder().setRefuseSeconds(1e9));
    first.getOffers().getOffersList().forEach(o -> forever.addOfferIds(o.getId()));
    scheduler.call(scheduler.callOf(Call.Type.DECLINE).setDecline(forever).build());
    List<String> declinedAgents = first.getOffers().getOffersList().stream().map(o -> o.getAgentId().getValue()).toList();
    scheduler.events.clear();
    // An unknown role drops the whole REVIVE: nothing is re-offered.
    assertThat(scheduler.call(scheduler.callOf(Call.Type.REVIVE).setRevive(Call.Revive.newBuilder().addRoles("nobody")).build())
        .statusCode()).isEqualTo(202);
    Await.during(Duration.ofSeconds(1), () -> assertThat(scheduler.events).noneMatch(e -> e.getType() == Event.Type.OFFERS
        && e.getOffers().getOffersList().stream().anyMatch(o -> declinedAgents.contains(o.getAgentId().getValue()))));
  }

  @Test
  void messagesBothWaysAndAnExecutorShutdown() throws Exception {
    Offer offer = offer();
    try (RawExecutor ex = deliver(offer, "tm", "em")) {
      ByteString up = ByteString.copyFromUtf8("to the scheduler");
      assertThat(ex.call(ex.callOf(org.apache.mesos.v1.executor.Protos.Call.Type.MESSAGE).setMessage(
          org.apache.mesos.v1.executor.Protos.Call.Message.newBuilder().setData(up)).build()).statusCode()).isEqualTo(202);
      Event message = scheduler.next(WAIT, e -> e.getType() == Event.Type.MESSAGE);
      assertThat(message.getMessage().getData()).isEqualTo(up);
      assertThat(message.getMessage().getExecutorId().getValue()).isEqualTo("em");
      assertThat(message.getMessage().getAgentId()).isEqualTo(offer.getAgentId());

      ByteString down = ByteString.copyFromUtf8("to the executor");
      assertThat(scheduler.call(scheduler.callOf(Call.Type.MESSAGE).setMessage(Call.Message.newBuilder()
          .setAgentId(offer.getAgentId()).setExecutorId(ExecutorID.newBuilder().setValue("em")).setData(down)).build())
          .statusCode()).isEqualTo(202);
      assertThat(ex.next(WAIT, e -> e.getType() == org.apache.mesos.v1.executor.Protos.Event.Type.MESSAGE)
          .getMessage().getData()).isEqualTo(down);

      assertThat(ex.call(ex.callOf(org.apache.mesos.v1.executor.Protos.Call.Type.HEARTBEAT).build()).statusCode()).isEqualTo(202);
      scheduler.call(scheduler.callOf(Call.Type.SHUTDOWN).setShutdown(Call.Shutdown.newBuilder()
          .setAgentId(offer.getAgentId()).setExecutorId(ExecutorID.newBuilder().setValue("em"))).build());
      ex.next(WAIT, e -> e.getType() == org.apache.mesos.v1.executor.Protos.Event.Type.SHUTDOWN);
      // The placeholder ignores SHUTDOWN: after the grace period (1 s here) it is destroyed.
      TaskStatus failed = update("tm");
      assertThat(failed.getState()).isEqualTo(TaskState.TASK_FAILED);
      assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_TERMINATED);
      assertThat(scheduler.next(WAIT, e -> e.getType() == Event.Type.FAILURE).getFailure().getExecutorId().getValue())
          .isEqualTo("em");
    }
  }

  @Test
  void case18b_reviveClearsFilters() throws Exception {
    Event first = scheduler.next(WAIT, e -> e.getType() == Event.Type.OFFERS);
    Call.Decline.Builder forever = Call.Decline.newBuilder().setFilters(Filters.newBuilder().setRefuseSeconds(1e9));
    first.getOffers().getOffersList().forEach(o -> forever.addOfferIds(o.getId()));
    scheduler.call(scheduler.callOf(Call.Type.DECLINE).setDecline(forever).build());
    scheduler.call(scheduler.callOf(Call.Type.REVIVE).build());
    Offer again = scheduler.next(WAIT, e -> e.getType() == Event.Type.OFFERS).getOffers().getOffers(0);
    assertThat(first.getOffers().getOffersList()).extracting(Offer::getAgentId).contains(again.getAgentId());
    FrameworkID id = scheduler.frameworkId;
    assertThat(id).isNotNull();
  }
}
