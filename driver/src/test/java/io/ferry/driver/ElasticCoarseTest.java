package io.ferry.driver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ferry.api.Task;
import io.ferry.driver.backend.ExecutorCounts;
import io.ferry.driver.testing.ExecutorArchive;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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
      assertThat(waitFor(30, () -> ferry.executorCounts().orElseThrow().live() == 0))
          .as("every executor retired; counts: %s", ferry.executorCounts()).isTrue();
      assertThat(waitFor(30, () -> frameworkUses(ferry, "cpus") == 0 && frameworkUses(ferry, "mem") == 0))
          .as("the framework holds nothing in mesos-local's state").isTrue();
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
      assertThat(waitFor(30, () -> ferry.executorCounts().orElseThrow().live() == 2)).isTrue();
      TimeUnit.SECONDS.sleep(3);
      assertThat(ferry.executorCounts().orElseThrow()).isEqualTo(new ExecutorCounts(2, 2, 0));
      assertThat(frameworkUses(ferry, "cpus")).isEqualTo(4.0);
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

  /** The framework's used resources of {@code name} in mesos-local's /state. */
  private static double frameworkUses(FerryContext ferry, String name) {
    try {
      String state = ferry.localCluster().orElseThrow().master().stateJson().get(20, TimeUnit.SECONDS);
      double used = 0;
      for (JsonElement f : JsonParser.parseString(state).getAsJsonObject().getAsJsonArray("frameworks")) {
        JsonObject resources = f.getAsJsonObject().getAsJsonObject("used_resources");
        if (resources != null && resources.has(name)) {
          used += resources.get(name).getAsDouble();
        }
      }
      return used;
    } catch (Exception e) {
      throw new IllegalStateException("cannot read mesos-local's state", e);
    }
  }

  private static boolean waitFor(int seconds, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    return condition.getAsBoolean();
  }
}
