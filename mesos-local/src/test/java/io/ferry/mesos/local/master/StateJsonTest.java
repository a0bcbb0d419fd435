package io.ferry.mesos.local.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.ferry.mesos.MesosUuids;
import io.ferry.mesos.local.JsonShapes;
import io.ferry.mesos.local.ManualTimers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the master's state documents say as tasks and frameworks come and go, with hand-driven
 * time: offered and used resources, completed tasks after the terminal acknowledgement,
 * unreachable tasks, TEARDOWN's killed tasks under completed_frameworks, and the bounds.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StateJsonTest {

  final ManualTimers timers = new ManualTimers();
  final MasterCore master = new MasterCore(new MasterCore.Settings(Duration.ofSeconds(15), Duration.ofSeconds(1),
      Optional.empty(), true, "127.0.0.1", 5050), timers);
  final MasterCoreTest.RecordingAgent agent = new MasterCoreTest.RecordingAgent();
  String agentId;
  int streams;

  @BeforeEach
  void setUp() {
    master.start();
    agentId = master.registerAgent(AgentInfo.newBuilder().setHostname("127.0.0.1").setPort(5051)
        .addAllResources(Resources.parse("cpus:2;mem:1024;ports:[31000-32000]").toProtos(Optional.empty())).build(),
        agent);
  }

  private MasterCoreTest.RecordingStream subscribe(boolean partitionAware) {
    FrameworkInfo.Builder info = FrameworkInfo.newBuilder().setUser("u").setName("fw").setFailoverTimeout(60);
    if (partitionAware) {
      info.addCapabilities(FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.PARTITION_AWARE));
    }
    MasterCoreTest.RecordingStream s = new MasterCoreTest.RecordingStream();
    master.subscribe(Call.newBuilder().setType(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info)).build(), s, "stream-" + (++streams));
    return s;
  }

  private static String id(MasterCoreTest.RecordingStream s) {
    return s.events.get(0).getSubscribed().getFrameworkId().getValue();
  }

  private void launch(String fw, Offer offer, String taskId) {
    Call.Builder c = Call.newBuilder().setType(Call.Type.ACCEPT).setFrameworkId(FrameworkID.newBuilder().setValue(fw));
    c.getAcceptBuilder().addOfferIds(offer.getId()).addOperations(Offer.Operation.newBuilder()
        .setType(Offer.Operation.Type.LAUNCH).setLaunch(Offer.Operation.Launch.newBuilder()
            .addTaskInfos(TaskInfo.newBuilder().setName(taskId).setTaskId(TaskID.newBuilder().setValue(taskId))
                .setAgentId(offer.getAgentId())
                .addAllResources(Resources.parse("cpus:1;mem:128").toProtos(Optional.of("*")))
                .setCommand(CommandInfo.newBuilder().setValue("true")))));
    master.handle(c.build());
  }

  private TaskStatus update(String fw, String task, TaskState state) {
    TaskStatus status = TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue(task)).setState(state)
        .setSource(TaskStatus.Source.SOURCE_EXECUTOR).setMessage("m " + state).setUuid(MesosUuids.random())
        .setAgentId(AgentID.newBuilder().setValue(agentId)).setTimestamp(timers.wallSeconds()).build();
    master.statusUpdate(fw, status);
    return status;
  }

  private void acknowledge(String fw, TaskStatus status) {
    master.handle(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setFrameworkId(FrameworkID.newBuilder().setValue(fw))
        .setAcknowledge(Call.Acknowledge.newBuilder().setAgentId(status.getAgentId()).setTaskId(status.getTaskId())
            .setUuid(status.getUuid())).build());
  }

  private JsonObject state() {
    return StateJson.state(master);
  }

  private static List<String> ids(JsonArray a) {
    List<String> out = new ArrayList<>();
    a.forEach(e -> out.add(e.getAsJsonObject().get("id").getAsString()));
    return out;
  }

  @Test
  void offeredAndUsedResourcesAreObjectsOnTheAgentAndTheFramework() {
    MasterCoreTest.RecordingStream s = subscribe(false);
    JsonObject f = state().getAsJsonArray("frameworks").get(0).getAsJsonObject();
    assertThat(f.getAsJsonObject("offered_resources").get("cpus").getAsDouble()).isEqualTo(2.0);
    assertThat(f.getAsJsonObject("offered_resources").get("ports").getAsString()).isEqualTo("[31000-32000]");
    assertThat(f.getAsJsonArray("offers")).hasSize(1);
    JsonObject offer = f.getAsJsonArray("offers").get(0).getAsJsonObject();
    assertThat(offer.getAsJsonObject("allocation_info").get("role").getAsString()).isEqualTo("*");
    assertThat(offer.get("slave_id").getAsString()).isEqualTo(agentId);

    launch(id(s), s.lastOffer(), "t1");
    JsonObject st = state();
    JsonObject slave = st.getAsJsonArray("slaves").get(0).getAsJsonObject();
    assertThat(slave.getAsJsonObject("used_resources").get("cpus").getAsDouble()).isEqualTo(1.0);
    assertThat(slave.getAsJsonObject("used_resources").get("mem").getAsDouble()).isEqualTo(128.0);
    assertThat(slave.getAsJsonObject("offered_resources").get("cpus").getAsDouble()).isEqualTo(0.0);
    JsonObject task = st.getAsJsonArray("frameworks").get(0).getAsJsonObject().getAsJsonArray("tasks").get(0)
        .getAsJsonObject();
    assertThat(JsonShapes.differences("task.json", task)).isEmpty();
    assertThat(task.get("state").getAsString()).isEqualTo("TASK_STAGING");
    assertThat(task.get("role").getAsString()).isEqualTo("*");
    assertThat(task.getAsJsonObject("resources").toString())
        .isEqualTo("{\"cpus\":1.0,\"gpus\":0.0,\"mem\":128.0,\"disk\":0.0}");
  }

  @Test
  void aTerminalTaskIsCompletedOnceItsUpdateIsAcknowledged() {
    MasterCoreTest.RecordingStream s = subscribe(false);
    String fw = id(s);
    launch(fw, s.lastOffer(), "t1");
    update(fw, "t1", TaskState.TASK_RUNNING);
    TaskStatus failed = update(fw, "t1", TaskState.TASK_FAILED);
    JsonObject f = state().getAsJsonArray("frameworks").get(0).getAsJsonObject();
    // Terminal but not acknowledged: still among the framework's tasks, as on Mesos.
    assertThat(ids(f.getAsJsonArray("tasks"))).containsExactly("t1");
    assertThat(f.getAsJsonArray("completed_tasks")).isEmpty();

    acknowledge(fw, failed);
    f = state().getAsJsonArray("frameworks").get(0).getAsJsonObject();
    assertThat(f.getAsJsonArray("tasks")).isEmpty();
    JsonObject t = f.getAsJsonArray("completed_tasks").get(0).getAsJsonObject();
    assertThat(t.get("state").getAsString()).isEqualTo("TASK_FAILED");
    List<String> states = new ArrayList<>();
    for (JsonElement e : t.getAsJsonArray("statuses")) {
      states.add(e.getAsJsonObject().get("state").getAsString());
    }
    assertThat(states).containsExactly("TASK_STAGING", "TASK_RUNNING", "TASK_FAILED");
    JsonObject last = t.getAsJsonArray("statuses").get(2).getAsJsonObject();
    assertThat(last.get("message").getAsString()).isEqualTo("m TASK_FAILED");
    assertThat(last.get("source").getAsString()).isEqualTo("SOURCE_EXECUTOR");
    JsonObject metrics = MetricsJson.snapshot(master);
    assertThat(metrics.get("master/tasks_failed").getAsDouble()).isEqualTo(1.0);
    assertThat(metrics.get("master/tasks_running").getAsDouble()).isEqualTo(0.0);
    assertThat(metrics.get("master/valid_status_updates").getAsDouble()).isEqualTo(2.0);
  }

  @Test
  void tasksOfAPartitionedAgentAreUnreachable() {
    MasterCoreTest.RecordingStream s = subscribe(true);
    String fw = id(s);
    launch(fw, s.lastOffer(), "t1");
    update(fw, "t1", TaskState.TASK_RUNNING);
    master.partition(agentId);
    JsonObject st = state();
    JsonObject f = st.getAsJsonArray("frameworks").get(0).getAsJsonObject();
    assertThat(f.getAsJsonArray("tasks")).isEmpty();
    assertThat(ids(f.getAsJsonArray("unreachable_tasks"))).containsExactly("t1");
    assertThat(st.get("unreachable_slaves").getAsInt()).isEqualTo(1);
    assertThat(st.get("activated_slaves").getAsInt()).isEqualTo(0);
    assertThat(MetricsJson.snapshot(master).get("master/tasks_unreachable").getAsDouble()).isEqualTo(1.0);
  }

  @Test
  void teardownLeavesACompletedFrameworkWithItsTasksKilled() {
    MasterCoreTest.RecordingStream s = subscribe(false);
    String fw = id(s);
    launch(fw, s.lastOffer(), "t1");
    update(fw, "t1", TaskState.TASK_RUNNING);
    timers.advance(Duration.ofSeconds(3));
    master.handle(Call.newBuilder().setType(Call.Type.TEARDOWN).setFrameworkId(FrameworkID.newBuilder().setValue(fw))
        .build());
    JsonObject st = state();
    assertThat(st.getAsJsonArray("frameworks")).isEmpty();
    JsonObject done = st.getAsJsonArray("completed_frameworks").get(0).getAsJsonObject();
    assertThat(done.get("id").getAsString()).isEqualTo(fw);
    assertThat(done.get("active").getAsBoolean()).isFalse();
    assertThat(done.get("unregistered_time").getAsDouble()).isGreaterThan(done.get("registered_time").getAsDouble());
    JsonObject t = done.getAsJsonArray("completed_tasks").get(0).getAsJsonObject();
    assertThat(t.get("state").getAsString()).isEqualTo("TASK_KILLED");
    JsonArray statuses = t.getAsJsonArray("statuses");
    JsonObject last = statuses.get(statuses.size() - 1).getAsJsonObject();
    assertThat(last.get("reason").getAsString()).isEqualTo("REASON_FRAMEWORK_REMOVED");
    assertThat(last.get("message").getAsString()).isEqualTo("Framework " + fw + " removed");
    assertThat(ids(TaskJson.tasks(master, new TaskJson.Query(100, 0, false, Optional.empty(), Optional.empty()))
        .getAsJsonArray("tasks"))).containsExactly("t1");
    assertThat(MetricsJson.snapshot(master).get("master/tasks_killed").getAsDouble()).isEqualTo(1.0);
    assertThat(MetricsJson.snapshot(master).get("master/messages_unregister_framework").getAsDouble()).isEqualTo(1.0);
  }

  @Test
  void completedFrameworksAreBoundedAsMesosBoundsThem() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < MasterCore.MAX_COMPLETED_FRAMEWORKS + 1; i++) {
      String fw = id(subscribe(false));
      ids.add(fw);
      master.handle(Call.newBuilder().setType(Call.Type.TEARDOWN).setFrameworkId(FrameworkID.newBuilder().setValue(fw))
          .build());
    }
    JsonArray completed = state().getAsJsonArray("completed_frameworks");
    assertThat(completed).hasSize(MasterCore.MAX_COMPLETED_FRAMEWORKS);
    assertThat(ids(completed)).doesNotContain(ids.get(0)).contains(ids.get(ids.size() - 1));
  }
}
