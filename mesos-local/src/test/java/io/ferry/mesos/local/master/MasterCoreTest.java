package io.ferry.mesos.local.master;

import io.ferry.mesos.local.ManualTimers;
import io.ferry.mesos.local.Timers;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ferry.mesos.MesosUuids;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The master's state machine with hand-driven time, a recording stream and a recording agent. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MasterCoreTest {

  static final class RecordingStream implements FrameworkStream {
    final List<Event> events = new ArrayList<>();
    boolean closed;

    @Override
    public void send(Event event) {
      if (!closed) {
        events.add(event);
      }
    }

    @Override
    public void close() {
      closed = true;
    }

    List<Event> of(Event.Type type) {
      return events.stream().filter(e -> e.getType() == type).toList();
    }

    Offer lastOffer() {
      List<Event> offers = of(Event.Type.OFFERS);
      List<Offer> list = offers.get(offers.size() - 1).getOffers().getOffersList();
      return list.get(list.size() - 1);
    }
  }

  static final class RecordingAgent implements AgentLink {
    final List<String> calls = new ArrayList<>();

    @Override
    public void launch(FrameworkInfo framework, TaskInfo task) {
      calls.add("launch " + task.getTaskId().getValue());
    }

    @Override
    public void kill(String frameworkId, TaskID taskId, KillPolicy killPolicy) {
      calls.add("kill " + taskId.getValue());
    }

    @Override
    public void shutdownExecutor(String frameworkId, ExecutorID executorId) {
      calls.add("shutdownExecutor " + executorId.getValue());
    }

    @Override
    public void shutdownFramework(String frameworkId) {
      calls.add("shutdownFramework");
    }

    @Override
    public void acknowledge(String frameworkId, TaskID taskId, ByteString uuid) {
      calls.add("ack " + taskId.getValue());
    }

    @Override
    public void message(String frameworkId, ExecutorID executorId, ByteString data) {
      calls.add("message");
    }
  }

  final ManualTimers timers = new ManualTimers();
  final MasterCore master = new MasterCore(new MasterCore.Settings(Duration.ofSeconds(15), Duration.ofSeconds(1),
      Optional.empty(), false, "localhost", 5050), timers);
  final RecordingAgent agent = new RecordingAgent();
  int streams;
  String agentId;

  @BeforeEach
  void setUp() {
    master.start();
    agentId = master.registerAgent(AgentInfo.newBuilder().setHostname("localhost").setPort(5051)
        .addAllResources(Resources.parse("cpus:2;mem:1024").toProtos(Optional.empty())).build(), agent);
  }

  private static Call subscribeCall(FrameworkInfo.Builder info) {
    Call.Builder b = Call.newBuilder().setType(Call.Type.SUBSCRIBE);
    if (info.hasId()) {
      b.setFrameworkId(info.getId());
    }
    return b.setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info)).build();
  }

  private static FrameworkInfo.Builder framework() {
    return FrameworkInfo.newBuilder().setUser("u").setName("test").setFailoverTimeout(60)
        .addCapabilities(FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.PARTITION_AWARE));
  }

  private String frameworkId(RecordingStream s) {
    return s.events.get(0).getSubscribed().getFrameworkId().getValue();
  }

  private static Call.Builder call(String frameworkId, Call.Type type) {
    return Call.newBuilder().setType(type).setFrameworkId(FrameworkID.newBuilder().setValue(frameworkId));
  }

  private static Call launch(String frameworkId, Offer offer, Filters filters, String... taskIds) {
    Call.Builder c = call(frameworkId, Call.Type.ACCEPT);
    Call.Accept.Builder accept = c.getAcceptBuilder().addOfferIds(offer.getId()).setFilters(filters);
    Offer.Operation.Launch.Builder l = Offer.Operation.Launch.newBuilder();
    for (String id : taskIds) {
      l.addTaskInfos(TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
          .setAgentId(offer.getAgentId()).addAllResources(Resources.parse("cpus:1;mem:128").toProtos(Optional.empty()))
          .setCommand(CommandInfo.newBuilder().setValue("true")));
    }
    accept.addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH).setLaunch(l));
    return c.build();
  }

  @Test
  void subscribeGetsSubscribedHeartbeatsAndOffers() {
    RecordingStream s = new RecordingStream();
    assertThat(master.subscribe(subscribeCall(framework()), s, "stream-" + (++streams))).isPresent();
    assertThat(s.events.get(0).getType()).isEqualTo(Event.Type.SUBSCRIBED);
    assertThat(s.events.get(0).getSubscribed().getHeartbeatIntervalSeconds()).isEqualTo(15.0);
    assertThat(s.events.get(1).getType()).isEqualTo(Event.Type.HEARTBEAT);
    Offer offer = s.lastOffer();
    assertThat(offer.getAllocationInfo().getRole()).isEqualTo("*");
    assertThat(offer.getResourcesList()).allSatisfy(r -> assertThat(r.getAllocationInfo().getRole()).isEqualTo("*"));
    assertThat(offer.getUrl().getPath()).isEqualTo("/slave(1)");
    assertThat(Resources.of(offer.getResourcesList())).isEqualTo(Resources.parse("cpus:2;mem:1024"));
    timers.advance(Duration.ofSeconds(31));
    assertThat(s.of(Event.Type.HEARTBEAT)).hasSize(3);
  }

  @Test
  void freedResourcesWaitForTheNextAllocationBatch() {
    RecordingStream s = new RecordingStream();
    master.subscribe(subscribeCall(framework()), s, "stream-" + (++streams));
    String fw = frameworkId(s);
    master.handle(launch(fw, s.lastOffer(), Filters.newBuilder().setRefuseSeconds(0).build(), "t1"));
    assertThat(agent.calls).containsExactly("launch t1");
    int offersBefore = s.of(Event.Type.OFFERS).size();
    timers.advance(Duration.ofSeconds(1));
    assertThat(s.of(Event.Type.OFFERS)).hasSize(offersBefore + 1);
    assertThat(Resources.of(s.lastOffer().getResourcesList())).isEqualTo(Resources.parse("cpus:1;mem:896"));
    master.handle(call(fw, Call.Type.DECLINE).setDecline(Call.Decline.newBuilder().addOfferIds(s.lastOffer().getId())
        .setFilters(Filters.newBuilder().setRefuseSeconds(0))).build());

    master.statusUpdate(fw, TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("t1"))
        .setState(TaskState.TASK_FINISHED).setUuid(MesosUuids.random()).build());
    int offersAfterFinish = s.of(Event.Type.OFFERS).size();
    assertThat(s.of(Event.Type.UPDATE)).last().satisfies(e -> assertThat(e.getUpdate().getStatus().getState()).isEqualTo(TaskState.TASK_FINISHED));
    timers.advance(Duration.ofMillis(999));
    assertThat(s.of(Event.Type.OFFERS)).hasSize(offersAfterFinish);
    timers.advance(Duration.ofMillis(1));
    assertThat(Resources.of(s.lastOffer().getResourcesList())).isEqualTo(Resources.parse("cpus:2;mem:1024"));
  }

  @Test
  void aSecondSubscribeFailsTheOldStreamOver() {
    RecordingStream first = new RecordingStream();
    master.subscribe(subscribeCall(framework()), first, "stream-" + (++streams));
    String fw = frameworkId(first);
    RecordingStream second = new RecordingStream();
    master.subscribe(subscribeCall(framework().setId(FrameworkID.newBuilder().setValue(fw))), second, "stream-" + (++streams));
    assertThat(first.closed).isTrue();
    assertThat(first.events).last().satisfies(e -> {
      assertThat(e.getType()).isEqualTo(Event.Type.ERROR);
      assertThat(e.getError().getMessage()).isEqualTo("Framework failed over");
    });
    assertThat(second.events.get(0).getSubscribed().getFrameworkId().getValue()).isEqualTo(fw);
    assertThat(second.of(Event.Type.OFFERS)).isNotEmpty();
  }

  @Test
  void zeroFailoverTimeoutRemovesTheFrameworkOnDisconnect() {
    RecordingStream s = new RecordingStream();
    String streamId = "stream-" + (++streams);
    master.subscribe(subscribeCall(framework().setFailoverTimeout(0)), s, streamId).orElseThrow();
    String fw = frameworkId(s);
    master.handle(launch(fw, s.lastOffer(), Filters.getDefaultInstance(), "t1"));
    master.streamClosed(fw, streamId);
    timers.advance(Duration.ZERO);
    assertThat(agent.calls).contains("shutdownFramework");
    assertThat(master.frameworkKnown(fw)).isFalse();
    RecordingStream again = new RecordingStream();
    assertThat(master.subscribe(subscribeCall(framework().setId(FrameworkID.newBuilder().setValue(fw))), again, "stream-" + (++streams))).isEmpty();
    assertThat(again.events).singleElement().satisfies(e -> assertThat(e.getError().getMessage()).isEqualTo("Framework has been removed"));
    assertThat(again.closed).isTrue();
  }

  @Test
  void disconnectedFrameworksCanComeBackWithinTheFailoverTimeout() {
    RecordingStream s = new RecordingStream();
    String streamId = "stream-" + (++streams);
    master.subscribe(subscribeCall(framework()), s, streamId).orElseThrow();
    String fw = frameworkId(s);
    master.streamClosed(fw, streamId);
    assertThat(master.connected(fw)).isFalse();
    timers.advance(Duration.ofSeconds(59));
    RecordingStream back = new RecordingStream();
    assertThat(master.subscribe(subscribeCall(framework().setId(FrameworkID.newBuilder().setValue(fw))), back, "stream-" + (++streams))).isPresent();
    timers.advance(Duration.ofSeconds(120));
    assertThat(master.frameworkKnown(fw)).isTrue();
    assertThat(back.of(Event.Type.OFFERS)).isNotEmpty();
  }

  @Test
  void killOfAnUnknownTaskIsAnExplicitReconciliationWithoutUuid() {
    RecordingStream s = new RecordingStream();
    master.subscribe(subscribeCall(framework()), s, "stream-" + (++streams));
    master.handle(call(frameworkId(s), Call.Type.KILL).setKill(Call.Kill.newBuilder()
        .setTaskId(TaskID.newBuilder().setValue("nope"))).build());
    assertThat(s.of(Event.Type.UPDATE)).singleElement().satisfies(e -> {
      TaskStatus st = e.getUpdate().getStatus();
      assertThat(st.getState()).isEqualTo(TaskState.TASK_UNKNOWN);
      assertThat(st.hasUuid()).isFalse();
      assertThat(st.getReason()).isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
    });
    assertThat(agent.calls).isEmpty();
  }

  @Test
  void declineFilterKeepsTheAgentAwayUntilRevive() {
    RecordingStream s = new RecordingStream();
    master.subscribe(subscribeCall(framework()), s, "stream-" + (++streams));
    String fw = frameworkId(s);
    master.handle(call(fw, Call.Type.DECLINE).setDecline(Call.Decline.newBuilder().addOfferIds(s.lastOffer().getId())).build());
    int offers = s.of(Event.Type.OFFERS).size();
    timers.advance(Duration.ofSeconds(4));
    assertThat(s.of(Event.Type.OFFERS)).hasSize(offers);
    timers.advance(Duration.ofSeconds(2));
    assertThat(s.of(Event.Type.OFFERS)).hasSize(offers + 1);
    master.handle(call(fw, Call.Type.DECLINE).setDecline(Call.Decline.newBuilder().addOfferIds(s.lastOffer().getId())
        .setFilters(Filters.newBuilder().setRefuseSeconds(1e9))).build());
    timers.advance(Duration.ofSeconds(100));
    assertThat(s.of(Event.Type.OFFERS)).hasSize(offers + 1);
    master.handle(call(fw, Call.Type.REVIVE).setRevive(Call.Revive.newBuilder().addRoles("not-mine")).build());
    assertThat(s.of(Event.Type.OFFERS)).hasSize(offers + 1);
    master.handle(call(fw, Call.Type.REVIVE).build());
    assertThat(s.of(Event.Type.OFFERS)).hasSize(offers + 2);
  }

  @Test
  void rejectedTasksAreReportedByTheMasterWithoutUuid() {
    RecordingStream s = new RecordingStream();
    master.subscribe(subscribeCall(framework()), s, "stream-" + (++streams));
    String fw = frameworkId(s);
    Offer offer = s.lastOffer();
    master.handle(launch(fw, offer, Filters.getDefaultInstance(), "a"));
    master.handle(launch(fw, offer, Filters.getDefaultInstance(), "b"));
    assertThat(s.of(Event.Type.UPDATE)).singleElement().satisfies(e -> {
      assertThat(e.getUpdate().getStatus().getState()).isEqualTo(TaskState.TASK_DROPPED);
      assertThat(e.getUpdate().getStatus().getReason()).isEqualTo(TaskStatus.Reason.REASON_INVALID_OFFERS);
      assertThat(e.getUpdate().getStatus().hasUuid()).isFalse();
    });
  }

  @Test
  void executorExitIsAFailureEvent() {
    RecordingStream s = new RecordingStream();
    master.subscribe(subscribeCall(framework()), s, "stream-" + (++streams));
    master.executorExited(frameworkId(s), agentId, ExecutorID.newBuilder().setValue("e1").build(), Optional.of(9));
    assertThat(s.of(Event.Type.FAILURE)).singleElement().satisfies(e -> {
      assertThat(e.getFailure().getExecutorId().getValue()).isEqualTo("e1");
      assertThat(e.getFailure().getStatus()).isEqualTo(9);
    });
  }

  @Test
  void aRestartingAgentsOffersAreRescindedAndItIsOfferedAgainFromTheBatchAfterItReregisters() {
    RecordingStream s = new RecordingStream();
    master.subscribe(subscribeCall(framework()), s, "stream-" + (++streams));
    String fw = frameworkId(s);
    Offer held = s.lastOffer();
    int offers = s.of(Event.Type.OFFERS).size();

    master.agentDisconnected(agentId);
    assertThat(s.of(Event.Type.RESCIND)).singleElement()
        .satisfies(e -> assertThat(e.getRescind().getOfferId()).isEqualTo(held.getId()));
    timers.advance(Duration.ofSeconds(3));
    assertThat(s.of(Event.Type.OFFERS)).as("nothing of the agent is offered while it is down").hasSize(offers);
    master.handle(launch(fw, held, Filters.getDefaultInstance(), "late"));
    assertThat(agent.calls).as("a launch on the rescinded offer never reaches the agent").isEmpty();
    assertThat(s.of(Event.Type.UPDATE)).singleElement().satisfies(e -> {
      assertThat(e.getUpdate().getStatus().getState()).isEqualTo(TaskState.TASK_DROPPED);
      assertThat(e.getUpdate().getStatus().getReason()).isEqualTo(TaskStatus.Reason.REASON_INVALID_OFFERS);
    });

    master.agentReregistered(agentId, agent, java.util.Set.of(), java.util.Map.of());
    assertThat(s.of(Event.Type.OFFERS)).as("not at once: from the next allocation batch").hasSize(offers);
    timers.advance(Duration.ofSeconds(1));
    assertThat(s.of(Event.Type.OFFERS)).hasSize(offers + 1);
    assertThat(Resources.of(s.lastOffer().getResourcesList())).isEqualTo(Resources.parse("cpus:2;mem:1024"));
  }

  @Test
  void tasksAndExecutorsTheReregisteringAgentNoLongerKnowsAreLostAndTheirResourcesComeBack() {
    RecordingStream s = new RecordingStream();
    master.subscribe(subscribeCall(framework()), s, "stream-" + (++streams));
    String fw = frameworkId(s);
    Offer offer = s.lastOffer();
    org.apache.mesos.v1.Protos.ExecutorInfo executor = org.apache.mesos.v1.Protos.ExecutorInfo.newBuilder()
        .setExecutorId(ExecutorID.newBuilder().setValue("e1")).setCommand(CommandInfo.newBuilder().setValue("true"))
        .addAllResources(Resources.parse("cpus:0.5;mem:64").toProtos(Optional.empty())).build();
    Call.Builder accept = call(fw, Call.Type.ACCEPT);
    accept.getAcceptBuilder().addOfferIds(offer.getId()).setFilters(Filters.newBuilder().setRefuseSeconds(0))
        .addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH).setLaunch(
            Offer.Operation.Launch.newBuilder().addTaskInfos(TaskInfo.newBuilder().setName("t1")
                .setTaskId(TaskID.newBuilder().setValue("t1")).setAgentId(offer.getAgentId()).setExecutor(executor)
                .addAllResources(Resources.parse("cpus:1;mem:128").toProtos(Optional.empty())))));
    master.handle(accept.build());
    assertThat(agent.calls).containsExactly("launch t1");
    timers.advance(Duration.ofSeconds(1));
    master.handle(call(fw, Call.Type.DECLINE).setDecline(Call.Decline.newBuilder().addOfferIds(s.lastOffer().getId())
        .setFilters(Filters.newBuilder().setRefuseSeconds(0))).build());

    // The agent restarted without the framework's checkpoint: it knows neither the task nor the executor.
    master.agentDisconnected(agentId);
    master.agentReregistered(agentId, agent, java.util.Set.of(), java.util.Map.of());
    assertThat(s.of(Event.Type.UPDATE)).last().satisfies(e -> {
      assertThat(e.getUpdate().getStatus().getTaskId().getValue()).isEqualTo("t1");
      assertThat(e.getUpdate().getStatus().getState()).isEqualTo(TaskState.TASK_DROPPED);
      assertThat(e.getUpdate().getStatus().getReason()).isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
    });
    timers.advance(Duration.ofSeconds(1));
    assertThat(Resources.of(s.lastOffer().getResourcesList())).as("the task's and the executor's resources are back")
        .isEqualTo(Resources.parse("cpus:2;mem:1024"));
  }
}
