package io.ferry.mesos.local.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ferry.mesos.MesosUuids;
import io.ferry.mesos.local.ManualTimers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The agent's executor state machine with fake containers; edge cases 3, 6, 7 and 17 among them. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AgentCoreTest {

  static final class FakeContainer implements AgentCore.Container {
    final CompletableFuture<Integer> exit = new CompletableFuture<>();
    boolean destroyed;

    @Override
    public CompletableFuture<Integer> exit() {
      return exit;
    }

    @Override
    public void destroy() {
      destroyed = true;
      exit.complete(9);
    }
  }

  static final class RecordingStream implements AgentCore.ExecutorStream {
    final List<Event> events = new ArrayList<>();
    boolean closed;

    @Override
    public void send(Event event) {
      events.add(event);
    }

    @Override
    public void close() {
      closed = true;
    }

    List<Event.Type> types() {
      return events.stream().map(Event::getType).toList();
    }
  }

  final ManualTimers timers = new ManualTimers();
  final List<TaskStatus> forwarded = new ArrayList<>();
  final List<String> masterCalls = new ArrayList<>();
  final List<FakeContainer> containers = new ArrayList<>();
  String launchFailure;
  AgentCore agent;

  final FrameworkInfo framework = FrameworkInfo.newBuilder().setUser("u").setName("f")
      .setId(FrameworkID.newBuilder().setValue("F")).build();
  final ExecutorInfo executor = ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue("e"))
      .setCommand(CommandInfo.newBuilder().setValue("./executor")).build();

  @BeforeEach
  void setUp() {
    StatusUpdateManager updates = new StatusUpdateManager(timers, (fw, s) -> forwarded.add(s),
        StatusUpdateManager.INITIAL_RETRY, StatusUpdateManager.MAX_RETRY);
    agent = new AgentCore(new AgentCore.Settings(Duration.ofMinutes(1), Duration.ofSeconds(5), "true"), timers, Runnable::run,
        Runnable::run, (fw, e, containerId, command, token) -> {
          if (launchFailure != null) {
            throw new IllegalStateException(launchFailure);
          }
          FakeContainer c = new FakeContainer();
          containers.add(c);
          return c;
        }, new AgentCore.MasterLink() {
          @Override
          public void statusUpdate(String frameworkId, TaskStatus status) {
            masterCalls.add("update");
          }

          @Override
          public void executorExited(String frameworkId, ExecutorID executorId, Optional<Integer> waitStatus) {
            masterCalls.add("exited " + executorId.getValue() + " " + waitStatus.map(String::valueOf).orElse("-"));
          }

          @Override
          public void executorMessage(String frameworkId, ExecutorID executorId, ByteString data) {
            masterCalls.add("message");
          }
        }, updates);
    agent.registered(AgentInfo.newBuilder().setHostname("localhost").setId(AgentID.newBuilder().setValue("S0")).build());
  }

  private TaskInfo task(String id) {
    return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
        .setAgentId(AgentID.newBuilder().setValue("S0")).setExecutor(executor).build();
  }

  private Call.Builder call(Call.Type type) {
    return Call.newBuilder().setType(type).setFrameworkId(framework.getId()).setExecutorId(executor.getExecutorId());
  }

  private RecordingStream subscribe() {
    RecordingStream s = new RecordingStream();
    agent.subscribe(call(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.getDefaultInstance()).build(), s);
    return s;
  }

  private Call update(String task, TaskState state) {
    return call(Call.Type.UPDATE).setUpdate(Call.Update.newBuilder().setStatus(TaskStatus.newBuilder()
        .setTaskId(TaskID.newBuilder().setValue(task)).setState(state).setSource(TaskStatus.Source.SOURCE_EXECUTOR)
        .setUuid(MesosUuids.random()))).build();
  }

  @Test
  void tasksWaitForTheSubscriptionThenArriveAfterSubscribed() {
    agent.launch(framework, task("t1"));
    agent.launch(framework, task("t2"));
    assertThat(containers).hasSize(1);
    RecordingStream s = subscribe();
    assertThat(s.types()).containsExactly(Event.Type.SUBSCRIBED, Event.Type.LAUNCH, Event.Type.LAUNCH);
    assertThat(s.events.get(0).getSubscribed().getAgentInfo().getId().getValue()).isEqualTo("S0");
    agent.launch(framework, task("t3"));
    assertThat(s.types()).hasSize(4).last().isEqualTo(Event.Type.LAUNCH);
  }

  @Test
  void updatesAreAcknowledgedToTheExecutorAndForwardedOnce() {
    agent.launch(framework, task("t1"));
    RecordingStream s = subscribe();
    Call running = update("t1", TaskState.TASK_RUNNING);
    assertThat(agent.update(running)).isTrue();
    assertThat(agent.update(running)).isTrue();
    assertThat(s.types()).endsWith(Event.Type.ACKNOWLEDGED, Event.Type.ACKNOWLEDGED);
    assertThat(forwarded).singleElement().satisfies(st -> {
      assertThat(st.getAgentId().getValue()).isEqualTo("S0");
      assertThat(st.getExecutorId().getValue()).isEqualTo("e");
    });
    Call wrongAgent = update("t1", TaskState.TASK_FINISHED).toBuilder().setUpdate(Call.Update.newBuilder()
        .setStatus(update("t1", TaskState.TASK_FINISHED).getUpdate().getStatus().toBuilder()
            .setAgentId(AgentID.newBuilder().setValue("other")))).build();
    int events = s.events.size();
    assertThat(agent.update(wrongAgent)).isFalse();
    assertThat(s.events).hasSize(events);
    assertThat(forwarded).hasSize(1);
  }

  @Test
  void killBeforeSubscribeIsAnsweredByTheAgent() {
    agent.launch(framework, task("t1"));
    agent.kill("F", TaskID.newBuilder().setValue("t1").build(), KillPolicy.getDefaultInstance());
    assertThat(forwarded).singleElement().satisfies(st -> {
      assertThat(st.getState()).isEqualTo(TaskState.TASK_KILLED);
      assertThat(st.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_KILLED_DURING_LAUNCH);
      assertThat(st.getSource()).isEqualTo(TaskStatus.Source.SOURCE_AGENT);
      assertThat(MesosUuids.isValid(st.getUuid())).isTrue();
    });
    // Shut down as never sent a task (MESOS-8411), with the whole grace period as any shutdown.
    timers.advance(Duration.ofSeconds(4));
    assertThat(containers.get(0).destroyed).isFalse();
    timers.advance(Duration.ofSeconds(1));
    assertThat(containers.get(0).destroyed).isTrue();
  }

  @Test
  void killOfADeliveredTaskIsSentEvenWhenItIsTerminalButUnacknowledged() {
    agent.launch(framework, task("t1"));
    RecordingStream s = subscribe();
    Call finished = update("t1", TaskState.TASK_FINISHED);
    agent.update(finished);
    // Terminal but not yet acknowledged by the scheduler: the KILL still goes to the executor.
    agent.kill("F", TaskID.newBuilder().setValue("t1").build(), KillPolicy.getDefaultInstance());
    assertThat(s.types()).last().isEqualTo(Event.Type.KILL);
    agent.acknowledge("F", finished.getUpdate().getStatus().getTaskId(), finished.getUpdate().getStatus().getUuid());
    int events = s.events.size();
    agent.kill("F", TaskID.newBuilder().setValue("t1").build(), KillPolicy.getDefaultInstance());
    assertThat(s.events).hasSize(events);
  }

  @Test
  void executorExitFailsLiveTasksAndTellsTheMaster() {
    agent.launch(framework, task("t1"));
    agent.launch(framework, task("t2"));
    RecordingStream s = subscribe();
    agent.update(update("t1", TaskState.TASK_FINISHED));
    forwarded.clear();
    containers.get(0).exit.complete(137 << 8);
    assertThat(s.closed).isTrue();
    assertThat(forwarded).singleElement().satisfies(st -> {
      assertThat(st.getTaskId().getValue()).isEqualTo("t2");
      assertThat(st.getState()).isEqualTo(TaskState.TASK_FAILED);
      assertThat(st.getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_TERMINATED);
    });
    assertThat(masterCalls).contains("exited e " + (137 << 8));
    assertThat(agent.executorKnown("F", "e")).isFalse();
  }

  @Test
  void anExecutorThatNeverSubscribesIsDestroyedAtTheRegistrationTimeout() {
    agent.launch(framework, task("t1"));
    timers.advance(Duration.ofSeconds(59));
    assertThat(containers.get(0).destroyed).isFalse();
    timers.advance(Duration.ofSeconds(1));
    assertThat(containers.get(0).destroyed).isTrue();
    assertThat(forwarded).singleElement().satisfies(st ->
        assertThat(st.getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_REGISTRATION_TIMEOUT));
  }

  @Test
  void shutdownSendsShutdownThenDestroysAfterTheGracePeriod() {
    agent.launch(framework, task("t1"));
    RecordingStream s = subscribe();
    agent.shutdownExecutor("F", executor.getExecutorId());
    assertThat(s.types()).last().isEqualTo(Event.Type.SHUTDOWN);
    timers.advance(Duration.ofSeconds(4));
    assertThat(containers.get(0).destroyed).isFalse();
    timers.advance(Duration.ofSeconds(1));
    assertThat(containers.get(0).destroyed).isTrue();
    assertThat(forwarded).singleElement().satisfies(st -> assertThat(st.getState()).isEqualTo(TaskState.TASK_FAILED));
    agent.launch(framework, task("t9"));
    assertThat(containers).hasSize(2);
  }

  @Test
  void aLaunchFailureFailsTheTasksWithTheReason() {
    launchFailure = "Failed to fetch 'hdfs://nn/x.tgz': no such file";
    agent.launch(framework, task("t1"));
    assertThat(forwarded).singleElement().satisfies(st -> {
      assertThat(st.getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
      assertThat(st.getMessage()).contains("hdfs://nn/x.tgz");
    });
  }

  @Test
  void resubscribingReplaysUnacknowledgedUpdatesWithoutDuplicates() {
    agent.launch(framework, task("t1"));
    subscribe();
    Call running = update("t1", TaskState.TASK_RUNNING);
    agent.update(running);
    RecordingStream second = new RecordingStream();
    agent.subscribe(call(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.newBuilder()
        .addUnacknowledgedUpdates(running.getUpdate())).build(), second);
    assertThat(second.types()).containsExactly(Event.Type.SUBSCRIBED, Event.Type.ACKNOWLEDGED);
    assertThat(forwarded).hasSize(1);
  }

  @Test
  void anExecutorWhoseStreamClosedStillGetsTheWholeGracePeriod() {
    // The executor ended its stream because it is exiting on its own: a SHUTDOWN arriving now must
    // not kill it mid-exit (Mesos's _shutdownExecutor always waits the grace period).
    agent.launch(framework, task("t1"));
    RecordingStream s = subscribe();
    agent.update(update("t1", TaskState.TASK_FINISHED));
    agent.streamClosed("F", "e", s);
    agent.shutdownFramework("F");
    timers.advance(Duration.ofSeconds(4));
    assertThat(containers.get(0).destroyed).as("killed before its grace period ended").isFalse();
    containers.get(0).exit.complete(0);
    assertThat(agent.exits()).singleElement().satisfies(x -> {
      assertThat(x.executorId()).isEqualTo("e");
      assertThat(x.waitStatus()).hasValue(0);
    });
  }

  @Test
  void aTerminatingFrameworksUpdatesAreNeitherAcknowledgedNorForwardedAndItsTasksGetNoFailure() {
    agent.launch(framework, task("t1"));
    agent.launch(framework, task("t2"));
    RecordingStream s = subscribe();
    agent.update(update("t1", TaskState.TASK_FINISHED));
    int forwardedBefore = forwarded.size();
    agent.shutdownFramework("F");
    assertThat(s.types()).last().isEqualTo(Event.Type.SHUTDOWN);
    int events = s.events.size();
    // Mesos's Slave::statusUpdate: "Ignoring status update ... for terminating framework".
    assertThat(agent.update(update("t2", TaskState.TASK_KILLED))).isFalse();
    assertThat(s.events).as("no ACKNOWLEDGED").hasSize(events);
    assertThat(forwarded).hasSize(forwardedBefore);
    containers.get(0).exit.complete(0);
    assertThat(forwarded).as("no TASK_FAILED for a framework that cannot acknowledge it").hasSize(forwardedBefore);
    assertThat(agent.frameworkKnown("F")).isFalse();
    // The framework is gone from the agent: a new one with that ID would start afresh.
    agent.launch(framework, task("t3"));
    RecordingStream again = subscribe();
    assertThat(agent.update(update("t3", TaskState.TASK_RUNNING))).isTrue();
    assertThat(again.types()).last().isEqualTo(Event.Type.ACKNOWLEDGED);
  }

  @Test
  void shutdownFrameworkReachesExecutorsWhoseTasksAllEnded() {
    agent.launch(framework, task("t1"));
    RecordingStream s = subscribe();
    Call finished = update("t1", TaskState.TASK_FINISHED);
    agent.update(finished);
    agent.acknowledge("F", finished.getUpdate().getStatus().getTaskId(), finished.getUpdate().getStatus().getUuid());
    agent.shutdownFramework("F");
    assertThat(s.types()).last().isEqualTo(Event.Type.SHUTDOWN);
    timers.advance(Duration.ofSeconds(5));
    assertThat(containers.get(0).destroyed).isTrue();
    assertThat(agent.exits()).singleElement().satisfies(x -> assertThat(x.waitStatus()).hasValue(9));
  }
}
