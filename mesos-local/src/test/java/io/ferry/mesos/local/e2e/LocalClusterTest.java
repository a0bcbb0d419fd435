package io.ferry.mesos.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mesos.ContentType;
import io.ferry.mesos.local.Await;
import io.ferry.mesos.local.LocalCluster;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A whole cluster in the JVM, spoken to over raw HTTP, with executors as real child processes. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public class LocalClusterTest {

  @TempDir Path work;

  public static Resource scalar(String name, double value) {
    return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
  }

  public static ExecutorInfo trivialExecutor(String id) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String command = "exec '" + java + "' -Xmx64m -cp '" + System.getProperty("java.class.path") + "' "
        + TrivialExecutor.class.getName();
    return ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue(id))
        .setCommand(CommandInfo.newBuilder().setValue(command))
        .addResources(scalar("cpus", 0.1)).addResources(scalar("mem", 32)).build();
  }

  static FrameworkInfo framework() {
    return FrameworkInfo.newBuilder().setUser(System.getProperty("user.name")).setName("conformance")
        .setCheckpoint(true).setFailoverTimeout(0)
        .addCapabilities(FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.PARTITION_AWARE))
        .build();
  }

  @Test
  void tasksRunOnARealExecutorAndEveryUpdateIsDeliveredOnce() throws Exception {
    LocalCluster.Settings settings = LocalCluster.Settings.parse("local-cluster[1,2,1024]", work)
        .withAllocationInterval(Duration.ofMillis(100));
    try (LocalCluster cluster = LocalCluster.start(settings); RawScheduler scheduler = new RawScheduler(cluster.masterUrl())) {
      assertThat(scheduler.subscribe(framework(), ContentType.JSON)).isEqualTo(200);
      assertThat(scheduler.streamId).isNotBlank();
      Offer offer = scheduler.next(Duration.ofSeconds(10), e -> e.getType() == Event.Type.OFFERS).getOffers().getOffers(0);
      ExecutorInfo executor = trivialExecutor("trivial");
      Offer.Operation.Launch.Builder launch = Offer.Operation.Launch.newBuilder();
      for (String id : List.of("t1", "t2")) {
        launch.addTaskInfos(TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
            .setAgentId(offer.getAgentId()).addResources(scalar("cpus", 0.5)).addResources(scalar("mem", 64))
            .setExecutor(executor));
      }
      HttpResponse<String> accepted = scheduler.call(scheduler.callOf(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
          .addOfferIds(offer.getId()).addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
              .setLaunch(launch))).build());
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

      Map<String, List<TaskState>> states = new HashMap<>();
      while (!(states.getOrDefault("t1", List.of()).contains(TaskState.TASK_FINISHED)
          && states.getOrDefault("t2", List.of()).contains(TaskState.TASK_FINISHED))) {
        TaskStatus status = scheduler.next(Duration.ofSeconds(30), e -> e.getType() == Event.Type.UPDATE).getUpdate().getStatus();
        states.computeIfAbsent(status.getTaskId().getValue(), k -> new java.util.ArrayList<>()).add(status.getState());
        assertThat(status.hasUuid()).isTrue();
        assertThat(status.getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
        assertThat(status.getAgentId()).isEqualTo(offer.getAgentId());
        HttpResponse<String> ack = scheduler.call(scheduler.callOf(Call.Type.ACKNOWLEDGE).setAcknowledge(
            Call.Acknowledge.newBuilder().setAgentId(status.getAgentId()).setTaskId(status.getTaskId())
                .setUuid(status.getUuid())).build());
        assertThat(ack.statusCode()).isEqualTo(202);
      }
      assertThat(states).containsEntry("t1", List.of(TaskState.TASK_RUNNING, TaskState.TASK_FINISHED))
          .containsEntry("t2", List.of(TaskState.TASK_RUNNING, TaskState.TASK_FINISHED));

      HttpResponse<String> state = scheduler.http.send(HttpRequest.newBuilder(URI.create(cluster.masterUrl() + "/state")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(state.statusCode()).isEqualTo(200);
      assertThat(state.body()).contains("\"name\":\"conformance\"");

      Path sandboxes = work.resolve("agent-0");
      HttpResponse<String> teardown = scheduler.call(scheduler.callOf(Call.Type.TEARDOWN).build());
      assertThat(teardown.statusCode()).isEqualTo(202);
      Await.until(Duration.ofSeconds(20), "the executor to exit after TEARDOWN", () -> executorPids(sandboxes).isEmpty());
    }
  }

  @Test
  void commandTasksRunThroughTheBuiltInCommandExecutor() throws Exception {
    Path input = Files.writeString(work.resolve("input.txt"), "fetched\n");
    LocalCluster.Settings settings = LocalCluster.Settings.parse("local-cluster[1,2,1024]", work.resolve("cluster"))
        .withAllocationInterval(Duration.ofMillis(100));
    try (LocalCluster cluster = LocalCluster.start(settings); RawScheduler scheduler = new RawScheduler(cluster.masterUrl())) {
      assertThat(scheduler.subscribe(framework(), ContentType.JSON)).isEqualTo(200);
      Offer offer = scheduler.next(Duration.ofSeconds(10), e -> e.getType() == Event.Type.OFFERS).getOffers().getOffers(0);
      Offer.Operation.Launch.Builder launch = Offer.Operation.Launch.newBuilder();
      Map<String, String> commands = Map.of("ok", "cat input.txt > copy.txt && echo \"$GREETING\"", "bad", "exit 3");
      commands.forEach((id, command) -> launch.addTaskInfos(TaskInfo.newBuilder().setName(id)
          .setTaskId(TaskID.newBuilder().setValue(id)).setAgentId(offer.getAgentId())
          .addResources(scalar("cpus", 0.5)).addResources(scalar("mem", 64))
          .setCommand(CommandInfo.newBuilder().setValue(command)
              .addUris(CommandInfo.URI.newBuilder().setValue(input.toUri().toString()))
              .setEnvironment(org.apache.mesos.v1.Protos.Environment.newBuilder().addVariables(
                  org.apache.mesos.v1.Protos.Environment.Variable.newBuilder().setName("GREETING").setValue("hello"))))));
      assertThat(scheduler.call(scheduler.callOf(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
          .addOfferIds(offer.getId()).addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
              .setLaunch(launch))).build()).statusCode()).isEqualTo(202);
      Map<String, List<TaskStatus>> updates = new HashMap<>();
      while (updates.values().stream().filter(l -> l.stream().anyMatch(u -> u.getState() == TaskState.TASK_FINISHED
          || u.getState() == TaskState.TASK_FAILED)).count() < 2) {
        TaskStatus status = scheduler.next(Duration.ofSeconds(30), e -> e.getType() == Event.Type.UPDATE).getUpdate().getStatus();
        updates.computeIfAbsent(status.getTaskId().getValue(), k -> new java.util.ArrayList<>()).add(status);
        scheduler.call(scheduler.callOf(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
            .setAgentId(status.getAgentId()).setTaskId(status.getTaskId()).setUuid(status.getUuid())).build());
      }
      assertThat(updates.get("ok")).extracting(TaskStatus::getState)
          .containsExactly(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
      assertThat(updates.get("bad")).extracting(TaskStatus::getState)
          .containsExactly(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FAILED);
      assertThat(updates.get("bad").get(2).getMessage()).isEqualTo("Command exited with status 3");
      try (Stream<Path> files = Files.walk(work.resolve("cluster"))) {
        List<Path> copies = files.filter(p -> p.getFileName().toString().equals("copy.txt")).toList();
        assertThat(copies).singleElement().satisfies(p -> {
          assertThat(Files.readString(p)).isEqualTo("fetched\n");
          assertThat(Files.readString(p.resolveSibling("stdout"))).contains("hello");
        });
      }
    }
  }

  /** Live processes whose working directory is in a sandbox under {@code root} (by /proc). */
  static List<Long> executorPids(Path root) throws Exception {
    String prefix = root.toRealPath().toString();
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      return all.filter(p -> {
        try {
          Path cwd = Path.of("/proc", Long.toString(p.pid()), "cwd");
          return Files.readSymbolicLink(cwd).toString().startsWith(prefix);
        } catch (Exception e) {
          return false;
        }
      }).map(ProcessHandle::pid).toList();
    }
  }

  @Test
  void aBadSubscribeGetsTheRightStatusAndNoStream() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(LocalCluster.Settings.parse("local-cluster[1,1,512]", work));
        RawScheduler scheduler = new RawScheduler(cluster.masterUrl())) {
      HttpResponse<String> noType = scheduler.http.send(HttpRequest.newBuilder(scheduler.endpoint)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(noType.statusCode()).isEqualTo(400);
      HttpResponse<String> get = scheduler.http.send(HttpRequest.newBuilder(scheduler.endpoint).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(get.statusCode()).isEqualTo(405);
      assertThat(scheduler.subscribe(framework(), ContentType.PROTOBUF)).isEqualTo(200);
      HttpResponse<String> stale = scheduler.http.send(HttpRequest.newBuilder(scheduler.endpoint)
          .header("Content-Type", "application/x-protobuf").header("Mesos-Stream-Id", "not-the-stream")
          .POST(HttpRequest.BodyPublishers.ofByteArray(ContentType.PROTOBUF.encode(scheduler.callOf(Call.Type.REVIVE).build())))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(stale.statusCode()).isEqualTo(400);
      assertThat(Optional.ofNullable(stale.body())).hasValueSatisfying(b -> assertThat(b).contains("stream ID"));
    }
  }
}
