package io.ferry.mesos.local.e2e;

import static io.ferry.mesos.local.e2e.LocalClusterTest.scalar;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import io.ferry.mesos.ContentType;
import io.ferry.mesos.local.Await;
import io.ferry.mesos.local.JsonShapes;
import io.ferry.mesos.local.LocalCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master's and an agent's state endpoints on a real cluster, over raw HTTP on loopback: three
 * real command tasks (one finished, one failed, one still running), whose TaskInfo.data and
 * environment carry a secret; every answer compared field by field with Mesos's shapes
 * ({@code mesos-shapes/}), values checked where they are deterministic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StateEndpointsTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private final String secret = "s3cr3t-" + UUID.randomUUID();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final Map<String, TaskState> states = new HashMap<>();
  private Path work;
  private LocalCluster cluster;
  private RawScheduler scheduler;
  private String master;
  private String agent;

  @BeforeAll
  void runTasks(@TempDir Path dir) throws Exception {
    work = dir;
    cluster = LocalCluster.start(LocalCluster.Settings.parse("local-cluster[1,2,1024]", work.resolve("cluster"))
        .withSwitchUser(false));
    master = cluster.masterUrl();
    agent = "http://127.0.0.1:" + cluster.agents().get(0).port();
    scheduler = new RawScheduler(master);
    FrameworkInfo framework = FrameworkInfo.newBuilder().setUser(System.getProperty("user.name"))
        .setName("state-test").setCheckpoint(true).setFailoverTimeout(0).build();
    assertThat(scheduler.subscribe(framework, ContentType.PROTOBUF)).isEqualTo(200);
    launch(task("ok", "echo fine"), task("bad", "echo broken >&2; exit 3"));
    awaitStates(Map.of("ok", TaskState.TASK_FINISHED, "bad", TaskState.TASK_FAILED));
    // As Mesos's agent: a framework left without executors is completed, with its completed executors.
    Await.until(WAIT, "both ended command executors to be completed on the agent", () -> {
      JsonArray completed = json(get(agent + "/slave(1)/state")).getAsJsonArray("completed_frameworks");
      return completed.size() == 1
          && completed.get(0).getAsJsonObject().getAsJsonArray("completed_executors").size() == 2;
    });
    // Launched later, so that /master/tasks has a deterministic order; the agent knows the
    // framework again (a new entry, as on Mesos).
    launch(task("long", "sleep 300"));
    awaitStates(Map.of("long", TaskState.TASK_RUNNING));
    Await.until(WAIT, "the acknowledged tasks to be completed on the master", () -> ids(framework0(), "completed_tasks")
        .containsAll(List.of("ok", "bad")));
  }

  @AfterAll
  void stop() throws Exception {
    if (scheduler != null) {
      scheduler.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void masterStateHasMesosShapeAndTheTasksWithTheirStatuses() throws Exception {
    for (String path : List.of("/master/state", "/state", "/state.json", "/master/state.json")) {
      HttpResponse<String> r = get(master + path);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).as(path).hasValue("application/json");
      assertThat(JsonShapes.differences("master-state.json", json(r))).as(path).isEmpty();
    }
    JsonObject state = json(get(master + "/master/state"));
    assertThat(state.get("pid").getAsString()).isEqualTo("master@" + master.substring("http://".length()));
    assertThat(state.get("leader").getAsString()).isEqualTo(state.get("pid").getAsString());
    assertThat(state.get("activated_slaves").getAsInt()).isEqualTo(1);
    JsonObject slave = state.getAsJsonArray("slaves").get(0).getAsJsonObject();
    assertThat(slave.get("pid").getAsString()).isEqualTo("slave(1)@127.0.0.1:" + cluster.agents().get(0).port());
    assertThat(slave.get("hostname").getAsString()).isEqualTo("127.0.0.1");
    assertThat(slave.get("port").getAsInt()).isEqualTo(cluster.agents().get(0).port());
    assertThat(slave.get("id").getAsString()).isEqualTo(cluster.agents().get(0).id());
    assertThat(slave.getAsJsonObject("resources").get("cpus").getAsDouble()).isEqualTo(2.0);
    assertThat(slave.getAsJsonObject("resources").get("mem").getAsDouble()).isEqualTo(1024.0);
    assertThat(slave.getAsJsonObject("resources").get("ports").getAsString()).isEqualTo("[31000-32000]");
    assertThat(state.getAsJsonArray("orphan_tasks")).isEmpty();
    assertThat(state.getAsJsonArray("unregistered_frameworks")).isEmpty();
    assertThat(state.getAsJsonArray("completed_frameworks")).isEmpty();
    assertThat(slave.getAsJsonObject("used_resources").get("cpus").getAsDouble()).isEqualTo(0.1);
    assertThat(slave.getAsJsonObject("used_resources").get("mem").getAsDouble()).isEqualTo(64.0);

    JsonObject f = framework0();
    assertThat(f.get("id").getAsString()).isEqualTo(scheduler.frameworkId.getValue());
    assertThat(f.get("name").getAsString()).isEqualTo("state-test");
    assertThat(f.get("active").getAsBoolean()).isTrue();
    assertThat(ids(f, "tasks")).containsExactly("long");
    JsonObject running = f.getAsJsonArray("tasks").get(0).getAsJsonObject();
    assertThat(running.get("state").getAsString()).isEqualTo("TASK_RUNNING");
    assertThat(running.get("slave_id").getAsString()).isEqualTo(cluster.agents().get(0).id());
    assertThat(running.get("framework_id").getAsString()).isEqualTo(scheduler.frameworkId.getValue());
    assertThat(running.getAsJsonObject("resources").get("cpus").getAsDouble()).isEqualTo(0.1);
    assertThat(statesOf(running)).containsExactly("TASK_STAGING", "TASK_STARTING", "TASK_RUNNING");

    JsonObject failed = taskIn(f, "completed_tasks", "bad");
    assertThat(failed.get("state").getAsString()).isEqualTo("TASK_FAILED");
    assertThat(statesOf(failed)).containsExactly("TASK_STAGING", "TASK_STARTING", "TASK_RUNNING", "TASK_FAILED");
    JsonObject last = last(failed.getAsJsonArray("statuses"));
    assertThat(last.get("message").getAsString()).isEqualTo("Command exited with status 3");
    assertThat(last.getAsJsonObject("container_status").getAsJsonObject("container_id").get("value").getAsString())
        .isNotEmpty();
    assertThat(taskIn(f, "completed_tasks", "ok").get("state").getAsString()).isEqualTo("TASK_FINISHED");
  }

  @Test
  void agentStateHasMesosShapeWithSandboxesAndCompletedExecutors() throws Exception {
    for (String path : List.of("/slave(1)/state", "/state", "/slave(1)/state.json")) {
      HttpResponse<String> r = get(agent + path);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(JsonShapes.differences("agent-state.json", json(r))).as(path).isEmpty();
    }
    JsonObject state = json(get(agent + "/slave(1)/state"));
    assertThat(state.get("id").getAsString()).isEqualTo(cluster.agents().get(0).id());
    assertThat(state.get("pid").getAsString()).isEqualTo("slave(1)@127.0.0.1:" + cluster.agents().get(0).port());
    assertThat(state.getAsJsonObject("flags").get("switch_user").getAsString()).isEqualTo("false");
    JsonObject f = state.getAsJsonArray("frameworks").get(0).getAsJsonObject();
    assertThat(f.get("id").getAsString()).isEqualTo(scheduler.frameworkId.getValue());
    JsonObject live = f.getAsJsonArray("executors").get(0).getAsJsonObject();
    assertThat(live.get("id").getAsString()).isEqualTo("long");
    assertThat(live.get("source").getAsString()).isEqualTo("long");
    assertThat(ids(live, "tasks")).containsExactly("long");
    assertThat(Path.of(live.get("directory").getAsString())).isDirectory()
        .startsWith(work.resolve("cluster")).endsWith(Path.of(live.get("container").getAsString()));
    assertThat(f.getAsJsonArray("completed_executors")).isEmpty();
    JsonObject done = state.getAsJsonArray("completed_frameworks").get(0).getAsJsonObject();
    assertThat(done.get("id").getAsString()).isEqualTo(scheduler.frameworkId.getValue());
    assertThat(done.getAsJsonArray("executors")).isEmpty();
    JsonObject bad = null;
    for (JsonElement e : done.getAsJsonArray("completed_executors")) {
      if (e.getAsJsonObject().get("id").getAsString().equals("bad")) {
        bad = e.getAsJsonObject();
      }
    }
    assertThat(bad).as("the failed task's executor among completed_executors").isNotNull();
    JsonObject failed = taskIn(bad, "completed_tasks", "bad");
    assertThat(failed.get("state").getAsString()).isEqualTo("TASK_FAILED");
    assertThat(last(failed.getAsJsonArray("statuses")).get("message").getAsString())
        .isEqualTo("Command exited with status 3");
    assertThat(Files.readString(Path.of(bad.get("directory").getAsString()).resolve("stderr"))).contains("broken");
  }

  @Test
  void slavesFrameworksAndTasksEndpoints() throws Exception {
    assertThat(JsonShapes.differences("master-slaves.json", json(get(master + "/master/slaves")))).isEmpty();
    assertThat(JsonShapes.differences("master-slaves.json", json(get(master + "/slaves")))).isEmpty();
    assertThat(JsonShapes.differences("master-frameworks.json", json(get(master + "/master/frameworks")))).isEmpty();
    assertThat(json(get(master + "/master/frameworks?framework_id=nope")).getAsJsonArray("frameworks")).isEmpty();
    for (String path : List.of("/master/tasks", "/tasks", "/master/tasks.json")) {
      JsonObject tasks = json(get(master + path));
      assertThat(JsonShapes.differences("master-tasks.json", tasks)).as(path).isEmpty();
      assertThat(ids(tasks, "tasks")).as(path).containsExactlyInAnyOrder("ok", "bad", "long");
    }
    // Newest first by default (Mesos sorts by the first status's timestamp).
    assertThat(ids(json(get(master + "/master/tasks?limit=1")), "tasks")).containsExactly("long");
    assertThat(ids(json(get(master + "/master/tasks?order=asc&offset=2")), "tasks")).containsExactly("long");
    assertThat(ids(json(get(master + "/master/tasks?order=asc&limit=2")), "tasks"))
        .containsExactlyInAnyOrder("ok", "bad");
    assertThat(ids(json(get(master + "/master/tasks?offset=5")), "tasks")).isEmpty();
    assertThat(ids(json(get(master + "/master/tasks?task_id=bad")), "tasks")).containsExactly("bad");
  }

  @Test
  void metricsCountWhatHappened() throws Exception {
    JsonObject m = json(get(master + "/metrics/snapshot"));
    assertThat(JsonShapes.differences("master-metrics.json", m)).isEmpty();
    assertThat(m.get("master/elected").getAsDouble()).isEqualTo(1.0);
    assertThat(m.get("master/uptime_secs").getAsDouble()).isPositive();
    assertThat(m.get("master/slaves_active").getAsDouble()).isEqualTo(1.0);
    assertThat(m.get("master/frameworks_active").getAsDouble()).isEqualTo(1.0);
    assertThat(m.get("master/tasks_finished").getAsDouble()).isEqualTo(1.0);
    assertThat(m.get("master/tasks_failed").getAsDouble()).isEqualTo(1.0);
    assertThat(m.get("master/tasks_running").getAsDouble()).isEqualTo(1.0);
    assertThat(m.get("master/tasks_staging").getAsDouble()).isEqualTo(0.0);
    assertThat(m.get("master/messages_launch_tasks").getAsDouble()).isEqualTo(2.0);
    assertThat(m.get("master/messages_register_framework").getAsDouble()).isEqualTo(1.0);
    assertThat(m.get("master/cpus_total").getAsDouble()).isEqualTo(2.0);
    assertThat(m.get("master/cpus_used").getAsDouble()).isEqualTo(0.1);
    assertThat(m.get("master/cpus_percent").getAsDouble()).isEqualTo(0.05);
    assertThat(m.get("master/mem_used").getAsDouble()).isEqualTo(64.0);
    assertThat(m.get("master/valid_status_update_acknowledgements").getAsDouble()).isGreaterThanOrEqualTo(8.0);

    JsonObject s = json(get(agent + "/metrics/snapshot"));
    assertThat(JsonShapes.differences("agent-metrics.json", s)).isEmpty();
    assertThat(s.get("slave/registered").getAsDouble()).isEqualTo(1.0);
    assertThat(s.get("slave/tasks_finished").getAsDouble()).isEqualTo(1.0);
    assertThat(s.get("slave/tasks_failed").getAsDouble()).isEqualTo(1.0);
    assertThat(s.get("slave/tasks_running").getAsDouble()).isEqualTo(1.0);
    assertThat(s.get("slave/executors_running").getAsDouble()).isEqualTo(1.0);
    assertThat(s.get("slave/executors_terminated").getAsDouble()).isEqualTo(2.0);
    assertThat(s.get("slave/cpus_used").getAsDouble()).isEqualTo(0.1);
    assertThat(s.get("slave/mem_total").getAsDouble()).isEqualTo(1024.0);
  }

  @Test
  void healthVersionRedirectAndUnknownPaths() throws Exception {
    for (String url : List.of(master + "/health", master + "/master/health", agent + "/health",
        agent + "/slave(1)/health")) {
      HttpResponse<String> r = get(url);
      assertThat(r.statusCode()).as(url).isEqualTo(200);
      assertThat(r.body()).as(url).isEmpty();
    }
    for (String base : List.of(master, agent)) {
      JsonObject version = json(get(base + "/version"));
      assertThat(JsonShapes.differences("version.json", version)).as(base).isEmpty();
      assertThat(version.get("version").getAsString()).isEqualTo("1.11.0");
      assertThat(version.get("build_user").getAsString()).contains("mesos-local");
    }
    HttpResponse<String> redirect = get(master + "/master/redirect");
    assertThat(redirect.statusCode()).isEqualTo(307);
    assertThat(redirect.headers().firstValue("Location")).hasValue("//" + master.substring("http://".length()));
    assertThat(get(master + "/master/nope").statusCode()).isEqualTo(404);
    assertThat(get(agent + "/slave(1)/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void jsonpWrapsEveryJsonAnswerInTheCallback() throws Exception {
    for (String url : List.of(master + "/master/state", master + "/master/tasks?limit=1", master + "/metrics/snapshot",
        master + "/version", agent + "/slave(1)/state", agent + "/metrics/snapshot")) {
      String sep = url.contains("?") ? "&" : "?";
      HttpResponse<String> r = get(url + sep + "jsonp=angular.callbacks._0");
      assertThat(r.statusCode()).as(url).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).as(url).hasValue("text/javascript");
      assertThat(r.body()).as(url).startsWith("angular.callbacks._0({").endsWith("});");
      String inner = r.body().substring("angular.callbacks._0(".length(), r.body().length() - 2);
      assertThat(JsonParser.parseString(inner).isJsonObject()).as(url).isTrue();
    }
    HttpResponse<String> bad = get(master + "/master/state?jsonp=" + java.net.URLEncoder.encode("alert(1)//",
        StandardCharsets.UTF_8));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("jsonp");
  }

  @Test
  void noEndpointShowsTaskDataOrEnvironmentValues() throws Exception {
    List<String> urls = List.of(master + "/master/state", master + "/master/frameworks", master + "/master/slaves",
        master + "/master/tasks", master + "/metrics/snapshot", agent + "/slave(1)/state", agent + "/metrics/snapshot",
        master + "/master/tasks?jsonp=cb", agent + "/slave(1)/state?jsonp=cb");
    for (String url : urls) {
      HttpResponse<String> r = get(url);
      assertThat(r.statusCode()).as(url).isEqualTo(200);
      assertThat(r.body()).as(url).doesNotContain(secret)
          .doesNotContain(java.util.Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
    }
    assertThat(cluster.master().stateJson().get(10, TimeUnit.SECONDS)).doesNotContain(secret);
    assertThat(cluster.agents().get(0).stateJson().get(10, TimeUnit.SECONDS)).doesNotContain(secret);
  }

  // ---- helpers ----

  private TaskInfo.Builder task(String id, String command) {
    return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
        .addResources(scalar("cpus", 0.1)).addResources(scalar("mem", 64))
        .setData(ByteString.copyFromUtf8("token=" + secret))
        .setCommand(CommandInfo.newBuilder().setValue(command).setEnvironment(Environment.newBuilder()
            .addVariables(Environment.Variable.newBuilder().setName("FERRY_TEST_TOKEN").setValue(secret))));
  }

  private void launch(TaskInfo.Builder... tasks) throws Exception {
    Offer offer = scheduler.next(WAIT, e -> e.getType() == Event.Type.OFFERS).getOffers().getOffers(0);
    Offer.Operation.Launch.Builder launch = Offer.Operation.Launch.newBuilder();
    for (TaskInfo.Builder t : tasks) {
      launch.addTaskInfos(t.setAgentId(offer.getAgentId()));
    }
    assertThat(scheduler.call(scheduler.callOf(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
        .addOfferIds(offer.getId()).addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
            .setLaunch(launch))).build()).statusCode()).isEqualTo(202);
  }

  /** Reads updates (acknowledging each) until every task named is in its state. */
  private void awaitStates(Map<String, TaskState> wanted) throws Exception {
    while (!wanted.entrySet().stream().allMatch(w -> w.getValue() == states.get(w.getKey()))) {
      TaskStatus status = scheduler.next(WAIT, e -> e.getType() == Event.Type.UPDATE).getUpdate().getStatus();
      states.put(status.getTaskId().getValue(), status.getState());
      if (status.hasUuid()) {
        scheduler.call(scheduler.callOf(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
            .setAgentId(status.getAgentId()).setTaskId(status.getTaskId()).setUuid(status.getUuid())).build());
      }
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject json(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.uri().toString()).isEqualTo(200);
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  private JsonObject framework0() throws Exception {
    return json(get(master + "/master/state")).getAsJsonArray("frameworks").get(0).getAsJsonObject();
  }

  private static List<String> ids(JsonObject o, String field) {
    List<String> ids = new ArrayList<>();
    o.getAsJsonArray(field).forEach(t -> ids.add(t.getAsJsonObject().get("id").getAsString()));
    return ids;
  }

  private static JsonObject taskIn(JsonObject o, String field, String id) {
    for (JsonElement t : o.getAsJsonArray(field)) {
      if (t.getAsJsonObject().get("id").getAsString().equals(id)) {
        return t.getAsJsonObject();
      }
    }
    throw new AssertionError("no task " + id + " in " + field + ": " + o.getAsJsonArray(field));
  }

  private static List<String> statesOf(JsonObject task) {
    List<String> out = new ArrayList<>();
    task.getAsJsonArray("statuses").forEach(s -> out.add(s.getAsJsonObject().get("state").getAsString()));
    return out;
  }

  private static JsonObject last(JsonArray a) {
    return a.get(a.size() - 1).getAsJsonObject();
  }
}
