package io.ferry.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.ferry.driver.testing.ExecutorArchive;
import io.ferry.driver.testing.LogCapture;
import io.ferry.driver.testing.SandboxStderr;
import io.ferry.mesos.local.Await;
import io.ferry.mesos.local.LocalCluster;
import io.ferry.mesos.local.MasterState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark-parity settings on mesos-local with real executor processes: what the driver launched
 * is read back from the master's {@code /state} (task labels, the executor's command, its CNI
 * network in the container status, {@code gpus} resources), and the failures reach the driver: an
 * unknown CNI network, an installed home without the launcher, a GPU agent kept from a framework
 * without {@code ferry.mesos.gpus.max}.
 */
@Timeout(180)
class MesosLaunchSettingsOnMesosLocalTest {
  @TempDir Path dir;

  private LocalCluster.Settings cluster(int agents, int cpus) {
    return LocalCluster.Settings.of(agents, cpus, 1024, dir.resolve("cluster"))
        .withAllocationInterval(Duration.ofMillis(100));
  }

  private Map<String, String> settings(LocalCluster cluster, String... keyValues) {
    Map<String, String> settings = new HashMap<>(Map.of(
        "ferry.master", "mesos://" + cluster.masterAddress(),
        "ferry.executor.memory", "256m",
        "ferry.driver.host", "127.0.0.1",
        "ferry.driver.bindAddress", "127.0.0.1"));
    for (int i = 0; i < keyValues.length; i += 2) {
      settings.put(keyValues[i], keyValues[i + 1]);
    }
    return settings;
  }

  private static JsonObject framework(LocalCluster cluster) {
    return MasterState.frameworks(cluster).get(0);
  }

  /** The master's view of the framework, once it satisfies {@code ready} (state changes as updates arrive). */
  private static JsonObject awaitFramework(LocalCluster cluster, Predicate<JsonObject> ready) throws Exception {
    JsonObject[] framework = new JsonObject[1];
    Await.until(Duration.ofSeconds(30), "the framework's state in mesos-local",
        () -> ready.test(framework[0] = framework(cluster)));
    return framework[0];
  }

  private static List<JsonObject> tasks(JsonObject framework, String which) {
    List<JsonObject> tasks = new ArrayList<>();
    framework.getAsJsonArray(which).forEach(t -> tasks.add(t.getAsJsonObject()));
    return tasks;
  }

  private static List<String> labels(JsonObject task) {
    List<String> labels = new ArrayList<>();
    if (task.has("labels")) {
      task.getAsJsonArray("labels").forEach(l -> labels.add(l.getAsJsonObject().get("key").getAsString() + ":"
          + l.getAsJsonObject().get("value").getAsString()));
    }
    return labels;
  }

  /** Every CNI network in the task's container statuses, {@code name label:value...}. */
  private static List<String> networks(JsonObject task) {
    List<String> networks = new ArrayList<>();
    for (JsonElement s : task.getAsJsonArray("statuses")) {
      JsonObject status = s.getAsJsonObject().getAsJsonObject("container_status");
      if (status == null || !status.has("network_infos")) {
        continue;
      }
      for (JsonElement n : status.getAsJsonArray("network_infos")) {
        JsonObject network = n.getAsJsonObject();
        StringBuilder text = new StringBuilder(network.get("name").getAsString());
        if (network.has("labels")) {
          network.getAsJsonObject("labels").getAsJsonArray("labels").forEach(l -> text.append(' ')
              .append(l.getAsJsonObject().get("key").getAsString()).append(':')
              .append(l.getAsJsonObject().get("value").getAsString()));
        }
        networks.add(text.toString());
      }
    }
    return networks;
  }

  private static double gpus(JsonObject task) {
    return task.getAsJsonObject("resources").get("gpus").getAsDouble();
  }

  private static List<String> capabilities(JsonObject framework) {
    List<String> out = new ArrayList<>();
    framework.getAsJsonArray("capabilities").forEach(c -> out.add(c.getAsString()));
    return out;
  }

  @Test
  void aCoarseSlotRunsFromTheInstalledHomeWithTheLabelsTheNetworkAndGpusUpToTheCap() throws Exception {
    Path home = ExecutorArchive.install(dir.resolve("installed ferry's home"));
    try (LocalCluster cluster = LocalCluster.start(cluster(1, 2).withGpus(1, 2).withCniNetworks(Set.of("ferry-net")));
        FerryContext ferry = FerryContext.create(settings(cluster,
            "ferry.mesos.coarse", "true",
            "ferry.mesos.executor.home", home.toString(),
            "ferry.mesos.task.labels", "team:data,url:http\\://x\\:80",
            "ferry.mesos.network.name", "ferry-net",
            "ferry.mesos.network.labels", "rack:r1",
            "ferry.mesos.gpus.max", "1"))) {
      assertThat(ferry.conf().executorUri()).isEmpty();
      String workingDir = ferry.submit(ctx -> System.getProperty("user.dir")).get(60, TimeUnit.SECONDS);
      assertThat(Path.of(workingDir).toRealPath()).as("the executor runs from the installed home")
          .isEqualTo(home.toRealPath());

      JsonObject framework = awaitFramework(cluster, f -> tasks(f, "tasks").stream()
          .anyMatch(t -> !networks(t).isEmpty()));
      assertThat(capabilities(framework)).contains("GPU_RESOURCES");
      JsonObject slot = tasks(framework, "tasks").get(0);
      assertThat(labels(slot)).containsExactly("team:data", "url:http://x:80");
      assertThat(gpus(slot)).as("2 offered, the cap is 1").isEqualTo(1.0);
      assertThat(networks(slot)).isNotEmpty().allMatch("ferry-net rack:r1"::equals);
      JsonObject executor = framework.getAsJsonArray("executors").get(0).getAsJsonObject();
      assertThat(executor.getAsJsonObject("command").get("value").getAsString())
          .contains("cd '" + home.toString().replace("'", "'\\''") + "' && exec ./bin/ferry-executor");
      assertThat(executor.getAsJsonObject("command").getAsJsonArray("uris")).as("nothing fetched").isEmpty();
    }
  }

  @Test
  void fineModeTasksCarryTheLabelsAndTakeOneGpuEachWhileTheCapAllows() throws Exception {
    Path archive = ExecutorArchive.build(dir);
    try (LocalCluster cluster = LocalCluster.start(cluster(1, 3).withGpus(1, 4));
        FerryContext ferry = FerryContext.create(settings(cluster,
            "ferry.executor.uri", ExecutorArchive.uri(archive),
            "ferry.mesos.task.labels", "team:data",
            "ferry.mesos.gpus.max", "2"))) {
      List<CompletableFuture<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        int k = i;
        results.add(ferry.submit(ctx -> k * k));
      }
      for (int i = 0; i < results.size(); i++) {
        assertThat(results.get(i).get(60, TimeUnit.SECONDS)).isEqualTo(i * i);
      }
      JsonObject framework = awaitFramework(cluster, f -> tasks(f, "completed_tasks").size() == 4);
      List<JsonObject> done = tasks(framework, "completed_tasks");
      assertThat(done).hasSize(4).allSatisfy(t -> {
        assertThat(labels(t)).containsExactly("team:data");
        assertThat(gpus(t)).as("one GPU per fine task").isEqualTo(1.0);
      });
      JsonObject executor = framework.getAsJsonArray("executors").get(0).getAsJsonObject();
      assertThat(executor.getAsJsonObject("resources").get("gpus").getAsDouble()).as("the executor takes none")
          .isZero();
    }
  }

  @Test
  void anUnknownCniNetworkFailsTheLaunchAndTheReasonReachesTheDriver() throws Exception {
    Path archive = ExecutorArchive.build(dir);
    try (LogCapture log = new LogCapture();
        LocalCluster cluster = LocalCluster.start(cluster(1, 2).withCniNetworks(Set.of("other-net")))) {
      try (FerryContext ferry = FerryContext.create(settings(cluster,
          "ferry.executor.uri", ExecutorArchive.uri(archive),
          "ferry.mesos.network.name", "ferry-net",
          "ferry.task.maxFailures", "2"))) {
        assertThatThrownBy(() -> ferry.submit(ctx -> "never").get(60, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TaskFailedException.class)
            .hasMessageContaining("TASK_FAILED (REASON_CONTAINER_LAUNCH_FAILED): Failed to launch container:"
                + " Unknown CNI network 'ferry-net'");
      }
      assertThat(log.linesContaining("Mesos could not launch the executor's container")).first().asString()
          .contains("Unknown CNI network 'ferry-net'").contains("ferry.mesos.network.name");
      log.close();
      // Coarse mode runs no task on the slot, so the log line is all a user sees: it is there too.
      try (LogCapture coarseLog = new LogCapture();
          FerryContext ferry = FerryContext.create(settings(cluster,
              "ferry.mesos.coarse", "true",
              "ferry.executor.uri", ExecutorArchive.uri(archive),
              "ferry.mesos.network.name", "ferry-net"))) {
        ferry.submit(ctx -> "never");
        // The driver's own line: mesos-local's agent logs the failure too, a moment earlier.
        Await.until(Duration.ofSeconds(30), "the launch failure in the driver's log",
            () -> !coarseLog.linesContaining("Mesos could not launch the executor's container").isEmpty());
        Await.until(Duration.ofSeconds(30), "the launch failing again (the pending task asks for another executor)",
            () -> coarseLog.linesContaining("launch failed: Unknown CNI network 'ferry-net'").size() >= 3);
        assertThat(coarseLog.linesContaining("Mesos could not launch the executor's container"))
            .as("one WARN for the repeated failure").hasSize(1);
      }
    }
  }

  @Test
  void anInstalledHomeWithoutTheLauncherFailsTheJobAtOnceNamingTheKey() throws Exception {
    Path home = Files.createDirectories(dir.resolve("not installed"));
    Files.writeString(home.resolve("README.txt"), "not a Ferry distribution");
    try (LocalCluster cluster = LocalCluster.start(cluster(2, 2));
        FerryContext ferry = FerryContext.create(settings(cluster,
            "ferry.mesos.executor.home", home.toString(),
            "ferry.task.maxFailures", "1000"))) {
      assertThatThrownBy(() -> ferry.submit(ctx -> "never").get(60, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TaskFailedException.class)
          .hasMessageStartingWith("ferry.mesos.executor.home " + home + " holds no bin/ferry-executor on agent ")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
    List<String> stderr = SandboxStderr.linesStartingWith(dir.resolve("cluster"),
        "ferry: no " + home + "/bin/ferry-executor on this agent");
    assertThat(stderr).isNotEmpty().allMatch(l -> l.endsWith("the directory holds: README.txt "));
  }

  @Test
  void aGpuAgentIsNotOfferedToAFrameworkWithoutGpusMax() throws Exception {
    Path archive = ExecutorArchive.build(dir);
    try (LocalCluster cluster = LocalCluster.start(cluster(2, 2).withGpus(1, 2));
        FerryContext ferry = FerryContext.create(settings(cluster,
            "ferry.mesos.coarse", "true",
            "ferry.executor.uri", ExecutorArchive.uri(archive)))) {
      List<CompletableFuture<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        int k = i;
        results.add(ferry.submit(ctx -> {
          Thread.sleep(200);
          return k;
        }));
      }
      for (int i = 0; i < results.size(); i++) {
        assertThat(results.get(i).get(60, TimeUnit.SECONDS)).isEqualTo(i);
      }
      String gpuAgent = cluster.agents().get(0).id();
      JsonObject framework = framework(cluster);
      assertThat(capabilities(framework)).doesNotContain("GPU_RESOURCES");
      List<JsonObject> slots = tasks(framework, "tasks");
      assertThat(slots).isNotEmpty().allSatisfy(t -> {
        assertThat(t.get("slave_id").getAsString()).as("never the agent with GPUs").isNotEqualTo(gpuAgent);
        assertThat(gpus(t)).isZero();
      });
      JsonArray offered = framework.getAsJsonArray("offers");
      offered.forEach(o -> assertThat(o.getAsJsonObject().get("slave_id").getAsString()).isNotEqualTo(gpuAgent));
    }
  }
}
