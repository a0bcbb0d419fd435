package io.ferry.driver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ferry.api.Task;
import io.ferry.driver.testing.ExecutorArchive;
import io.ferry.mesos.local.Await;
import io.ferry.mesos.local.MasterState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real path on {@code local-cluster}: mesos-local agents fetch an archive, start executor
 * processes, and the driver runs tasks on them in both modes.
 */
@Timeout(180)
class LocalClusterModesTest {
  @TempDir Path dir;

  private FerryContext start(String master, boolean coarse, Map<String, String> extra) throws Exception {
    Map<String, String> settings = new HashMap<>(Map.of("ferry.executor.memory", "256m"));
    settings.putAll(extra);
    return startWithDefaults(master, coarse, settings);
  }

  /** The executor's size left to the defaults, unless {@code extra} says otherwise. */
  private FerryContext startWithDefaults(String master, boolean coarse, Map<String, String> extra) throws Exception {
    Path archive = ExecutorArchive.build(dir);
    Map<String, String> settings = new HashMap<>(Map.of(
        "ferry.master", master,
        "ferry.executor.uri", ExecutorArchive.uri(archive),
        "ferry.mesos.coarse", String.valueOf(coarse),
        "ferry.driver.host", "127.0.0.1",
        "ferry.driver.bindAddress", "127.0.0.1",
        "ferry.local.dir", dir.resolve("work").toString()));
    settings.putAll(extra);
    return FerryContext.create(settings);
  }

  private static List<Task<String>> whereDidYouRun(int n) {
    List<Task<String>> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = i;
      tasks.add(ctx -> ctx.executorId() + "/" + k * 2);
    }
    return tasks;
  }

  private static void check(List<String> results, int n) {
    Set<String> executors = new HashSet<>();
    for (int i = 0; i < n; i++) {
      String[] parts = results.get(i).split("/");
      assertThat(parts[1]).isEqualTo(String.valueOf(i * 2));
      executors.add(parts[0]);
    }
    assertThat(executors).allMatch(e -> e.startsWith("ferry-"));
  }

  @Test
  void fineGrained() throws Exception {
    try (FerryContext ferry = start("local-cluster[2,2,1024]", false, Map.of())) {
      List<String> results = ferry.runAll(whereDidYouRun(12));
      check(results, 12);
    }
  }

  /** The size the benchmarks and earlier docs use ran nothing with the 1g + 384m default executor (issue 16). */
  @Test
  void theDefaultsRunOnTheBenchmarksClusterInFineMode() throws Exception {
    try (FerryContext ferry = startWithDefaults("local-cluster[2,2,1024]", false, Map.of())) {
      check(ferry.runAll(whereDidYouRun(6)), 6);
    }
  }

  @Test
  void theDefaultsRunOnTheBenchmarksClusterInCoarseMode() throws Exception {
    try (FerryContext ferry = startWithDefaults("local-cluster[2,2,1024]", true, Map.of())) {
      check(ferry.runAll(whereDidYouRun(20)), 20);
    }
  }

  @Test
  void anExecutorNoAgentCanHoldIsRefusedBeforeAnythingStarts() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> startWithDefaults("local-cluster[2,2,1024]", true,
            Map.of("ferry.executor.memory", "4g")))
        .isInstanceOf(FerryConfException.class)
        .hasMessageContaining("local-cluster[2,2,1024] cannot run one executor")
        .hasMessageContaining("mem 4505 MB").hasMessageContaining("an agent has 1024 MB");
    assertThat(java.nio.file.Files.exists(dir.resolve("work"))).as("no cluster was started").isFalse();
  }

  @Test
  void coarseGrainedWithTasksSentAheadToEachSlot() throws Exception {
    try (FerryContext ferry = start("local-cluster[2,2,1024]", true,
        Map.of("ferry.mesos.coarse.tasksInFlightPerSlot", "8"))) {
      List<String> results = ferry.runAll(whereDidYouRun(500));
      check(results, 500);
    }
  }

  /**
   * With tasks sent ahead to each slot, a few tasks in flight still go one to a slot across both
   * executors (the least loaded first), not all into the first executor's queue: there two would
   * wait behind the other two while the second executor's slots idle. Static coarse mode, so that both
   * executors come whatever the machine's speed (see the several-executors test below).
   */
  @Test
  void coarseGrainedSpreadsAFewTasksOverEveryExecutorsSlots() throws Exception {
    try (FerryContext ferry = start("local-cluster[2,2,1024]", true,
        Map.of("ferry.mesos.coarse.tasksInFlightPerSlot", "16", "ferry.dynamicAllocation.enabled", "false"))) {
      // Both executors registered: enough tasks to overflow one executor's 32 places, until both answered.
      Set<String> seen = new HashSet<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (seen.size() < 2 && System.nanoTime() < deadline) {
        for (String r : ferry.runAll(whereDidYouRun(200))) {
          seen.add(r.split("/")[0]);
        }
      }
      assertThat(seen).as("executors that ran tasks").hasSize(2);
      List<Task<String>> four = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        four.add(ctx -> {
          Thread.sleep(300); // the task's work: long enough that all four are in flight at once
          return ctx.executorId();
        });
      }
      assertThat(new HashSet<>(ferry.runAll(four))).as("executors the four tasks ran on").hasSize(2);
    }
  }

  /** Static coarse mode (elastic mode would not start a second executor for 200 quick tasks). */
  @Test
  void coarseGrainedHonoursCoresMax() throws Exception {
    try (FerryContext ferry = start("local-cluster[2,2,1024]", true, Map.of("ferry.cores.max", "3",
        "ferry.dynamicAllocation.enabled", "false"))) {
      List<String> results = ferry.runAll(whereDidYouRun(200));
      check(results, 200);
      assertThat(ferry.webUi()).as("the embedded master's web UI")
          .hasValue("http://" + ferry.localCluster().orElseThrow().masterAddress() + "/");
      assertThat(ferry.progress()).isEqualTo(new JobProgress(200, 200, 0, 0, 0, 0, 0));
      // One executor may run all 200 tasks before the other's slot task reaches RUNNING: wait for
      // both, and check on every read that the launched slots never hold more than cores.max.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      double running;
      do {
        String state = ferry.localCluster().orElseThrow().master().stateJson().get(20, TimeUnit.SECONDS);
        running = slotCpus(state, "TASK_RUNNING");
        double launched = slotCpus(state, "TASK_STAGING") + slotCpus(state, "TASK_STARTING") + running;
        assertThat(launched).as("cpus of every slot task in mesos-local's state").isLessThanOrEqualTo(3.0);
      } while (running < 3.0 && System.nanoTime() < deadline && pause());
      assertThat(running).as("cpus of running slot tasks in mesos-local's state").isEqualTo(3.0);
    }
  }

  /**
   * Issue 17: with {@code ferry.executor.cores} one agent runs several executors of that size, each
   * its own slot task, up to {@code ferry.cores.max}; tasks spread over all of them. Static coarse
   * mode: one offer launches all three. (Elastic mode grows only while a backlog lasts
   * {@code schedulerBacklogTimeout}; 300 quick tasks on a fast machine can all be done within it, and
   * a CI run saw one executor for 90 s. ElasticSharingTest covers several elastic executors per agent.)
   */
  @Test
  void coarseGrainedRunsSeveralExecutorsOfTheGivenCoresOnOneAgent() throws Exception {
    try (FerryContext ferry = startWithDefaults("local-cluster[1,4,1024]", true,
        Map.of("ferry.executor.cores", "1", "ferry.cores.max", "3", "ferry.dynamicAllocation.enabled", "false"))) {
      Set<String> seen = new HashSet<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (seen.size() < 3 && System.nanoTime() < deadline) {
        List<String> results = ferry.runAll(whereDidYouRun(300));
        check(results, 300);
        results.forEach(r -> seen.add(r.split("/")[0]));
      }
      assertThat(seen).as("executors that ran tasks").hasSize(3);
      List<Task<String>> three = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        three.add(ctx -> {
          Thread.sleep(300); // long enough that all three are in flight at once
          return ctx.executorId();
        });
      }
      assertThat(new HashSet<>(ferry.runAll(three))).as("executors the three tasks ran on").hasSize(3);
      List<JsonObject> slots = MasterState.tasks(ferry.localCluster().orElseThrow());
      assertThat(slots).as("slot tasks in mesos-local's state").hasSize(3)
          .allSatisfy(t -> {
            assertThat(t.get("state").getAsString()).isEqualTo("TASK_RUNNING");
            assertThat(t.getAsJsonObject("resources").get("cpus").getAsDouble()).isEqualTo(1.0);
          });
      assertThat(slots.stream().map(t -> t.get("slave_id").getAsString()).distinct()).as("agents").hasSize(1);
      assertThat(slots.stream().map(t -> t.get("executor_id").getAsString()).distinct()).as("executors").hasSize(3);
    }
  }

  /** Executors of 2 cores on a 3-cpu agent: one executor; the odd cpu is never a second one. */
  @Test
  void coarseGrainedLaunchesOnlyWholeExecutorsOfTheGivenCores() throws Exception {
    try (FerryContext ferry = startWithDefaults("local-cluster[1,3,1024]", true, Map.of("ferry.executor.cores", "2"))) {
      check(ferry.runAll(whereDidYouRun(200)), 200);
      // Two allocation rounds, in which the third cpu is offered again, and all along: one executor.
      Await.during(Duration.ofSeconds(2), () -> {
        List<JsonObject> slots = MasterState.tasks(ferry.localCluster().orElseThrow());
        assertThat(slots).as("slot tasks in mesos-local's state").hasSize(1);
        assertThat(slots.get(0).getAsJsonObject("resources").get("cpus").getAsDouble()).isEqualTo(2.0);
      });
    }
  }

  /** The cpus of the slot tasks in {@code taskState} in {@code state} (mesos-local's /state). */
  private static double slotCpus(String state, String taskState) {
    double cpus = 0;
    for (JsonElement f : JsonParser.parseString(state).getAsJsonObject().getAsJsonArray("frameworks")) {
      for (JsonElement t : f.getAsJsonObject().getAsJsonArray("tasks")) {
        JsonObject task = t.getAsJsonObject();
        if (task.get("state").getAsString().equals(taskState)) {
          cpus += task.getAsJsonObject("resources").get("cpus").getAsDouble();
        }
      }
    }
    return cpus;
  }

  /** A short pause between two reads of the state (polling against a deadline). */
  private static boolean pause() throws InterruptedException {
    TimeUnit.MILLISECONDS.sleep(100);
    return true;
  }
}
