package io.ferry.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.api.Task;
import io.ferry.driver.backend.ExecutorCounts;
import io.ferry.driver.testing.ExecutorArchive;
import io.ferry.driver.testing.LogCapture;
import io.ferry.driver.testing.ParkedTask;
import io.ferry.mesos.local.Await;
import io.ferry.mesos.local.MasterState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Elastic coarse mode (issue 17) on {@code local-cluster} with real executor processes: idle
 * executors give their cores back while the driver stays up, a new burst brings executors back,
 * busy executors retire at their max lifetime and are replaced, and every task's result arrives
 * exactly once.
 */
@Timeout(180)
class ElasticCoarseTest {
  @TempDir Path dir;

  private FerryContext start(Map<String, String> extra) throws Exception {
    Path archive = ExecutorArchive.build(dir);
    Map<String, String> settings = new HashMap<>(Map.of(
        "ferry.master", "local-cluster[2,2,1024]",
        "ferry.executor.uri", ExecutorArchive.uri(archive),
        "ferry.mesos.coarse", "true",
        "ferry.executor.memory", "256m",
        "ferry.local.dir", dir.resolve("work").toString()));
    settings.putAll(extra);
    return FerryContext.create(settings);
  }

  /** Tasks whose results say which task they were: {@code i -> i * i}. */
  private static List<Task<Long>> squares(int n, long sleepMs) {
    List<Task<Long>> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long k = i;
      tasks.add(ctx -> {
        if (sleepMs > 0) {
          Thread.sleep(sleepMs);
        }
        return k * k;
      });
    }
    return tasks;
  }

  private static void checkSquares(List<Long> results, int n) {
    assertThat(results).hasSize(n);
    for (int i = 0; i < n; i++) {
      assertThat(results.get(i)).as("result of task %d", i).isEqualTo((long) i * i);
    }
  }

  @Test
  void idleExecutorsGiveTheirCoresBackAndANewBurstBringsExecutorsBack() throws Exception {
    try (FerryContext ferry = start(Map.of("ferry.dynamicAllocation.executorIdleTimeout", "2s",
        "ferry.dynamicAllocation.schedulerBacklogTimeout", "200ms"))) {
      checkSquares(ferry.runAll(squares(300, 2)), 300);
      ExecutorCounts afterFirst = ferry.executorCounts().orElseThrow();
      assertThat(afterFirst.added()).as("executors added for the first burst").isGreaterThanOrEqualTo(1);

      // Idle past the timeout: every executor retires, Mesos gets its cores and memory back.
      Await.until(Duration.ofSeconds(30), "every executor retired",
          () -> ferry.executorCounts().orElseThrow().live() == 0);
      Await.until(Duration.ofSeconds(30), "the framework holding nothing in mesos-local's state",
          () -> used(ferry, "cpus") == 0 && used(ferry, "mem") == 0);
      assertThat(ferry.executorCounts().orElseThrow().retired()).isEqualTo(afterFirst.added());
      assertThat(ferry.state()).isEqualTo(FerryContext.State.RUNNING);

      // A second burst: executors come back and every result arrives once.
      checkSquares(ferry.runAll(squares(300, 2)), 300);
      ExecutorCounts afterSecond = ferry.executorCounts().orElseThrow();
      assertThat(afterSecond.added()).as("executors added again").isGreaterThan(afterFirst.added());
      assertThat(afterSecond.live()).isGreaterThanOrEqualTo(1);
      assertThat(ferry.progress()).as("nothing lost, failed or run twice").isEqualTo(new JobProgress(600, 600, 0, 0, 0, 0, 0));
    }
  }

  @Test
  void withElasticityOffExecutorsStayWhenIdle() throws Exception {
    try (FerryContext ferry = start(Map.of("ferry.dynamicAllocation.enabled", "false",
        "ferry.dynamicAllocation.executorIdleTimeout", "1s"))) {
      checkSquares(ferry.runAll(squares(200, 2)), 200);
      Await.until(Duration.ofSeconds(30), "both executors live", () -> ferry.executorCounts().orElseThrow().live() == 2);
      // Three times the idle timeout, and all along: nothing retires.
      Await.during(Duration.ofSeconds(3),
          () -> assertThat(ferry.executorCounts().orElseThrow()).isEqualTo(new ExecutorCounts(2, 2, 0)));
      assertThat(used(ferry, "cpus")).isEqualTo(4.0);
    }
  }

  @Test
  void busyExecutorsRetireAtTheirMaxLifetimeAndAreReplaced() throws Exception {
    try (FerryContext ferry = start(Map.of("ferry.dynamicAllocation.executorMaxLifetime", "3s",
        "ferry.dynamicAllocation.schedulerBacklogTimeout", "200ms"))) {
      // About 9 s of work on 4 slots: every executor reaches its lifetime while busy.
      checkSquares(ferry.runAll(squares(360, 100)), 360);
      ExecutorCounts counts = ferry.executorCounts().orElseThrow();
      assertThat(counts.retired()).as("executors retired busy: %s", counts).isGreaterThanOrEqualTo(2);
      assertThat(counts.added()).as("and replaced: %s", counts).isGreaterThanOrEqualTo(counts.retired() + 1);
      assertThat(ferry.progress()).as("nothing lost, failed or run twice").isEqualTo(new JobProgress(360, 360, 0, 0, 0, 0, 0));
    }
  }

  /**
   * Both executors retire busy (max lifetime) with two tasks each in flight; one of them is killed
   * while it retires: its two tasks run again on a new executor, the other's finish where they are;
   * a task that arrives meanwhile runs on neither retiring executor; every result arrives exactly
   * once.
   */
  @Test
  void anExecutorKilledWhileItRetiresLosesNothingAndNewTasksGoElsewhere() throws Exception {
    Path markerDir = Files.createDirectories(dir.resolve("markers"));
    try (LogCapture log = new LogCapture(); FerryContext ferry = start(Map.of(
        "ferry.dynamicAllocation.executorMaxLifetime", "2s", "ferry.dynamicAllocation.schedulerBacklogTimeout", "200ms"))) {
      List<CompletableFuture<String>> futures = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        futures.add(ferry.submit("parked " + i, new ParkedTask(i, markerDir.toString())));
      }
      Await.until(Duration.ofSeconds(90), "two executors with two tasks each", () -> ParkedTask.markers(markerDir, "running")
          .values().stream().flatMap(List::stream).distinct().count() == 2 && ParkedTask.markers(markerDir, "running").size() == 4);
      Set<Long> first = new HashSet<>(ParkedTask.markers(markerDir, "running").values().stream().flatMap(List::stream).toList());
      Await.until(Duration.ofSeconds(30), "both executors retiring",
          () -> log.linesContaining("retires (it reached ferry.dynamicAllocation.executorMaxLifetime 2 s)").size() == 2);

      long victim = first.iterator().next();
      List<Integer> cutOff = ParkedTask.markers(markerDir, "running").entrySet().stream()
          .filter(e -> e.getValue().contains(victim)).map(Map.Entry::getKey).toList();
      ProcessHandle executor = ProcessHandle.of(victim).orElseThrow();
      executor.destroyForcibly(); // SIGKILL, while it retires
      executor.onExit().get(10, TimeUnit.SECONDS);
      Await.until(Duration.ofSeconds(90), "the cut-off tasks running again on a new executor", () -> {
        Map<Integer, List<Long>> running = ParkedTask.markers(markerDir, "running");
        return cutOff.stream().allMatch(i -> running.get(i).size() == 2);
      });
      // A task that arrives while the other executor retires: it must wait for a new one.
      CompletableFuture<String> late = ferry.submit("late", new ParkedTask(4, markerDir.toString()));
      Await.during(Duration.ofMillis(500), () -> assertThat(ParkedTask.markers(markerDir, "running"))
          .as("no slot is free for the late task yet").doesNotContainKey(4));
      ParkedTask.release(markerDir);

      for (int i = 0; i < 4; i++) {
        assertThat(futures.get(i).get(60, TimeUnit.SECONDS)).startsWith(i + "/");
      }
      String lateResult = late.get(60, TimeUnit.SECONDS);
      assertThat(lateResult).startsWith("4/");
      assertThat(Long.parseLong(lateResult.substring(2))).as("the late task ran on neither retiring executor")
          .isNotIn(first);
      Map<Integer, List<Long>> done = ParkedTask.markers(markerDir, "done");
      for (int i = 0; i <= 4; i++) {
        assertThat(done.get(i)).as("attempts of task %d that ran to the end", i).hasSize(1);
      }
      JobProgress progress = ferry.progress();
      assertThat(progress.succeeded()).isEqualTo(5);
      assertThat(progress.failed() + progress.failedAttempts()).as("an executor's loss is no task failure").isZero();
      assertThat(progress.lostAttempts()).as("the killed executor's two tasks").isEqualTo(2);
    }
  }

  /** The framework's used resources of {@code name} in mesos-local's /state. */
  private static double used(FerryContext ferry, String name) {
    return MasterState.used(ferry.localCluster().orElseThrow(), null, name);
  }
}
