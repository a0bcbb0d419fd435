package io.ferry.mesos.local.webui;

import static io.ferry.mesos.local.e2e.LocalClusterTest.scalar;
import static io.ferry.mesos.local.webui.HeadlessChromium.quote;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mesos.ContentType;
import io.ferry.mesos.local.Await;
import io.ferry.mesos.local.LocalCluster;
import io.ferry.mesos.local.agent.LocalAgent;
import io.ferry.mesos.local.e2e.RawScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
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
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master's web UI in a real headless Chromium against a real cluster of two agents, with
 * tasks launched through a real scheduler subscription: the page lists the agents, the
 * framework and its tasks (a running one, failed ones with their reason and message), a failed
 * task's stderr link opens the tail of its sandbox's stderr, the tail follows what a running
 * task appends, the page refreshes itself in place, and a task name that is markup shows as text.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class WebUiBrowserTest {

  static final String STDERR_TEXT = "ferry-webui-test: the disk is on fire";
  static final String XSS_NAME = "<img src=x onerror=\"window.__xss=1\">";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path work;

  @BeforeEach
  void browserInstalled() {
    BrowserTests.assumeAvailable();
  }

  @Test
  void thePageShowsAgentsFrameworksTasksAndASandboxTail() throws Exception {
    LocalCluster.Settings settings = LocalCluster.Settings.parse("local-cluster[2,2,1024]", work.resolve("cluster"))
        .withAllocationInterval(Duration.ofMillis(100));
    try (LocalCluster cluster = LocalCluster.start(settings); RawScheduler scheduler = new RawScheduler(cluster.masterUrl());
        HeadlessChromium chromium = HeadlessChromium.start(work.resolve("chromium"))) {
      FrameworkInfo framework = FrameworkInfo.newBuilder().setUser(System.getProperty("user.name")).setName("webui-test")
          .setCheckpoint(true).setFailoverTimeout(0).build();
      assertThat(scheduler.subscribe(framework, ContentType.JSON)).isEqualTo(200);
      String frameworkId = scheduler.frameworkId.getValue();

      // One offer from each agent: the running tasks on the first, the failing one on the second.
      Map<String, Offer> offers = new HashMap<>();
      while (offers.size() < 2) {
        for (Offer o : scheduler.next(Duration.ofSeconds(20), e -> e.getType() == Event.Type.OFFERS).getOffers().getOffersList()) {
          offers.putIfAbsent(o.getAgentId().getValue(), o);
        }
      }
      List<Offer> two = new ArrayList<>(offers.values());
      launch(scheduler, two.get(0), List.of(
          command("ticker", "ticker", "i=0; while true; do i=$((i+1)); echo \"tick $i\"; sleep 0.3; done"),
          command("xss", XSS_NAME, "exec sleep 600")));
      TaskInfo.Builder unfetchable = command("unfetchable", "unfetchable", "true");
      unfetchable.getCommandBuilder().addUris(CommandInfo.URI.newBuilder()
          .setValue(work.resolve("ferry-webui-missing.tgz").toUri().toString()));
      launch(scheduler, two.get(1), List.of(command("bad", "bad", "echo '" + STDERR_TEXT + "' >&2; exit 1"), unfetchable));
      Map<String, TaskState> states = new HashMap<>();
      while (states.get("ticker") != TaskState.TASK_RUNNING || states.get("xss") != TaskState.TASK_RUNNING
          || states.get("bad") != TaskState.TASK_FAILED || states.get("unfetchable") != TaskState.TASK_FAILED) {
        TaskStatus status = acknowledgeNext(scheduler);
        states.put(status.getTaskId().getValue(), status.getState());
      }

      chromium.open(cluster.masterUrl() + "/");
      // Overview: the master and both agents.
      await(chromium, "the overview to count 2 agents", "#agent-count", "2"::equals);
      String masterId = com.google.gson.JsonParser.parseString(scheduler.http.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(cluster.masterUrl() + "/master/state")).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
          .body()).getAsJsonObject().get("id").getAsString();
      assertThat(chromium.text("#master-id")).isEqualTo(masterId);

      chromium.click("#nav-agents");
      for (LocalAgent agent : cluster.agents()) {
        await(chromium, "agent " + agent.id() + " in the Agents tab", "#agents tr[data-agent-id=" + quote(agent.id()) + "]",
            t -> t.contains("127.0.0.1:" + agent.port()));
      }

      chromium.click("#nav-frameworks");
      String row = "#frameworks tr[data-framework-id=" + quote(frameworkId) + "]";
      await(chromium, "the framework in the Frameworks tab", row, t -> t.contains("webui-test"));

      chromium.click(row + " a");
      await(chromium, "the running task", task("active-tasks", "ticker", ".task-state"), "TASK_RUNNING"::equals);
      await(chromium, "the failed task", task("completed-tasks", "bad", ".task-state"), "TASK_FAILED"::equals);
      await(chromium, "the failed task's message", task("completed-tasks", "bad", ".task-message"),
          "Command exited with status 1"::equals);
      // Mesos's command executor gives a failed command no reason (src/launcher/executor.cpp); a
      // launch that failed on the agent has one.
      assertThat(chromium.text(task("completed-tasks", "bad", ".task-reason"))).isEmpty();
      await(chromium, "the reason of the task whose fetch failed", task("completed-tasks", "unfetchable", ".task-reason"),
          "REASON_CONTAINER_LAUNCH_FAILED"::equals);
      assertThat(chromium.text(task("completed-tasks", "unfetchable", ".task-message"))).contains("ferry-webui-missing.tgz");

      // A name that is markup is shown as its characters: no element made of it, nothing run.
      await(chromium, "the task named like markup", task("active-tasks", "xss", ".task-name"), XSS_NAME::equals);
      assertThat(chromium.script("return document.querySelectorAll('img').length;").getAsInt()).isZero();
      assertThat(chromium.script("return window.__xss === undefined;").getAsBoolean()).isTrue();

      // The page refreshes itself where it is: scrolled down in a small window, it stays scrolled
      // through a refresh; the killed task moves to the completed tasks while the page stays on
      // this framework.
      chromium.resize(900, 300);
      int scrolled = chromium.script("window.scrollTo(0, document.documentElement.scrollHeight); "
          + "window.__before = document.getElementById('completed-tasks'); return window.scrollY;").getAsInt();
      assertThat(scrolled).as("the framework page is taller than the window").isPositive();
      Await.until(Duration.ofSeconds(10), "a refresh that redraws the tasks",
          () -> chromium.script("return document.getElementById('completed-tasks') !== window.__before;").getAsBoolean());
      assertThat(chromium.script("return window.scrollY;").getAsInt()).isEqualTo(scrolled);
      chromium.resize(1280, 900);
      String hash = chromium.script("return location.hash;").getAsString();
      assertThat(scheduler.call(scheduler.callOf(Call.Type.KILL).setKill(Call.Kill.newBuilder()
          .setTaskId(TaskID.newBuilder().setValue("xss"))).build()).statusCode()).isEqualTo(202);
      while (states.get("xss") != TaskState.TASK_KILLED) {
        TaskStatus status = acknowledgeNext(scheduler);
        states.put(status.getTaskId().getValue(), status.getState());
      }
      await(chromium, "the killed task among the completed tasks", task("completed-tasks", "xss", ".task-state"),
          "TASK_KILLED"::equals);
      assertThat(chromium.script("return location.hash;").getAsString()).isEqualTo(hash);

      // The failed task's stderr link opens the tail of the sandbox's stderr.
      chromium.click(task("completed-tasks", "bad", "a.stderr"));
      await(chromium, "the failed task's stderr in the tail view", "#tail-data", t -> t.contains(STDERR_TEXT));
      assertThat(chromium.text("#tail-path")).endsWith("/stderr");

      // The running task's stdout: the tail keeps reading what the task appends.
      chromium.script("history.back(); return null;");
      await(chromium, "the framework page again", task("active-tasks", "ticker", ".task-state"), "TASK_RUNNING"::equals);
      chromium.click(task("active-tasks", "ticker", "a.stdout"));
      await(chromium, "the ticker's stdout", "#tail-data", t -> lastTick(t) > 0);
      int first = lastTick(chromium.text("#tail-data"));
      await(chromium, "later ticks in the tail view", "#tail-data", t -> lastTick(t) >= first + 3);
    }
  }

  private static String task(String table, String taskId, String cell) {
    return "#" + table + " tr[data-task-id=" + quote(taskId) + "] " + cell;
  }

  private static int lastTick(String text) {
    Matcher m = Pattern.compile("tick (\\d+)").matcher(text == null ? "" : text);
    int last = 0;
    while (m.find()) {
      last = Integer.parseInt(m.group(1));
    }
    return last;
  }

  private static void await(HeadlessChromium chromium, String what, String css,
      java.util.function.Predicate<String> ok) throws Exception {
    String[] last = {null};
    try {
      Await.until(Duration.ofSeconds(30), what, () -> {
        last[0] = chromium.text(css);
        return last[0] != null && ok.test(last[0]);
      });
    } catch (AssertionError e) {
      String page = chromium.text("body");
      throw new AssertionError(e.getMessage() + "; " + css + " was " + (last[0] == null ? "absent" : "'" + last[0] + "'")
          + "; the page: " + (page == null ? "" : page.substring(0, Math.min(page.length(), 3000))), e);
    }
  }

  private static TaskInfo.Builder command(String id, String name, String shell) {
    return TaskInfo.newBuilder().setName(name).setTaskId(TaskID.newBuilder().setValue(id))
        .addResources(scalar("cpus", 0.1)).addResources(scalar("mem", 32))
        .setCommand(CommandInfo.newBuilder().setValue(shell));
  }

  private static void launch(RawScheduler scheduler, Offer offer, List<TaskInfo.Builder> tasks) throws Exception {
    Offer.Operation.Launch.Builder launch = Offer.Operation.Launch.newBuilder();
    AgentID agent = offer.getAgentId();
    tasks.forEach(t -> launch.addTaskInfos(t.setAgentId(agent)));
    assertThat(scheduler.call(scheduler.callOf(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
        .addOfferIds(offer.getId()).addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
            .setLaunch(launch))).build()).statusCode()).isEqualTo(202);
  }

  private static TaskStatus acknowledgeNext(RawScheduler scheduler) throws Exception {
    TaskStatus status = scheduler.next(Duration.ofSeconds(30), e -> e.getType() == Event.Type.UPDATE).getUpdate().getStatus();
    if (status.hasUuid()) {
      scheduler.call(scheduler.callOf(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
          .setAgentId(status.getAgentId()).setTaskId(status.getTaskId()).setUuid(status.getUuid())).build());
    }
    return status;
  }
}
