package io.ferry.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.api.Task;
import io.ferry.driver.testing.ExecutorArchive;
import io.ferry.mesos.local.Await;
import io.ferry.mesos.local.LocalCluster;
import io.ferry.mesos.local.MasterState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mesos's promise made a test (issue 17): two coarse applications share {@code local-cluster[2,4,...]}.
 * Application A's burst takes every core, then A pauses; B arrives with work during the pause. With
 * elastic coarse mode B runs on the cores A's idle executors gave back, and A's next burst still
 * runs beside B; with elasticity off, B waits until A ends.
 */
@Timeout(240)
class ElasticSharingTest {
  private static final int IDLE_SECONDS = 2;
  /** What B may take beyond A's idle timeout to get cores: an allocation round, an executor start. */
  private static final int BOUNDED_DELAY_SECONDS = 15;

  @TempDir Path dir;

  private String archiveUri;

  private Map<String, String> settings(String master, boolean elastic) throws Exception {
    if (archiveUri == null) { // built once: both applications' agents fetch the same file
      archiveUri = ExecutorArchive.uri(ExecutorArchive.build(dir));
    }
    Map<String, String> s = new HashMap<>(Map.of(
        "ferry.master", master,
        "ferry.executor.uri", archiveUri,
        "ferry.mesos.coarse", "true",
        "ferry.executor.cores", "2",
        "ferry.executor.memory", "192m",
        "ferry.executor.memoryOverhead", "64m",
        "ferry.driver.host", "127.0.0.1",
        "ferry.driver.bindAddress", "127.0.0.1",
        "ferry.local.dir", dir.resolve("work").toString()));
    s.put("ferry.dynamicAllocation.enabled", String.valueOf(elastic));
    s.put("ferry.dynamicAllocation.executorIdleTimeout", IDLE_SECONDS + "s");
    s.put("ferry.dynamicAllocation.schedulerBacklogTimeout", "200ms");
    return s;
  }

  /** {@code n} tasks of {@code ms} each whose results say which task they were. */
  private static List<Task<Integer>> work(int n, long ms) {
    List<Task<Integer>> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = i;
      tasks.add(ctx -> {
        Thread.sleep(ms);
        return k;
      });
    }
    return tasks;
  }

  private static void check(List<Integer> results, int n) {
    assertThat(results).hasSize(n);
    for (int i = 0; i < n; i++) {
      assertThat(results.get(i)).isEqualTo(i);
    }
  }

  /** Two agents of 4 cpus, which both applications reach as a Mesos master. */
  private LocalCluster cluster() throws Exception {
    return LocalCluster.start(LocalCluster.Settings.parse("local-cluster[2,4,1024]", dir.resolve("cluster")));
  }

  @Test
  void elasticApplicationsShareTheCluster() throws Exception {
    try (LocalCluster cluster = cluster();
        FerryContext a = FerryContext.create(settings("mesos://" + cluster.masterAddress(), true))) {
      String master = "mesos://" + cluster.masterAddress();
      // A's burst: enough backlog to grow to every core (4 executors of 2 cores).
      check(a.runAll(work(160, 200)), 160);
      assertThat(a.executorCounts().orElseThrow().added()).as("A grew to the whole cluster").isEqualTo(4);

      try (FerryContext b = FerryContext.create(settings(master, true))) {
        long arrived = System.nanoTime();
        CompletableFuture<List<Integer>> bWork = CompletableFuture.supplyAsync(() -> runAll(b, work(40, 200)));
        List<Integer> bResults = bWork.get(IDLE_SECONDS + BOUNDED_DELAY_SECONDS + 10, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - arrived) / 1e9;
        check(bResults, 40);
        assertThat(seconds).as("B's wait for cores: A's idle timeout plus a bounded delay")
            .isLessThan(IDLE_SECONDS + BOUNDED_DELAY_SECONDS);

        // Both busy: A's next burst runs beside B's, each with a share, and both finish correctly.
        CompletableFuture<List<Integer>> bMore = CompletableFuture.supplyAsync(() -> runAll(b, work(80, 200)));
        check(a.runAll(work(80, 200)), 80);
        check(bMore.get(120, TimeUnit.SECONDS), 80);
        assertThat(a.executorCounts().orElseThrow().added()).as("A got executors again").isGreaterThan(4);
      }
    }
  }

  @Test
  void withElasticityOffTheSecondApplicationWaitsForTheFirstToEnd() throws Exception {
    try (LocalCluster cluster = cluster()) {
      String master = "mesos://" + cluster.masterAddress();
      FerryContext a = FerryContext.create(settings(master, false));
      try {
        check(a.runAll(work(160, 200)), 160);
        assertThat(a.executorCounts().orElseThrow().live()).as("A holds every core").isEqualTo(4);
        try (FerryContext b = FerryContext.create(settings(master, false))) {
          CompletableFuture<List<Integer>> bWork = CompletableFuture.supplyAsync(() -> runAll(b, work(40, 200)));
          // Past A's idle timeout and a bounded delay, all along: B gets nothing done.
          Await.during(Duration.ofSeconds(IDLE_SECONDS + 8), () -> {
            assertThat(bWork).as("B starved while A idles on every core").isNotDone();
            assertThat(b.progress().succeeded()).isZero();
          });
          a.close(); // A ends: its executors go, and only then B runs
          check(bWork.get(60, TimeUnit.SECONDS), 40);
        }
      } finally {
        a.close();
      }
    }
  }

  /**
   * Busy applications share too: with a max lifetime, A's executors retire one by one while A is
   * busy, and Mesos's allocator (DRF) offers the freed cores to B, the framework furthest below its
   * share, until both hold half the cluster.
   */
  @Test
  void twoBusyApplicationsConvergeToEqualSharesWithAMaxLifetime() throws Exception {
    int lifetime = 4;
    try (LocalCluster cluster = cluster()) {
      String master = "mesos://" + cluster.masterAddress();
      Map<String, String> busy = new HashMap<>(settings(master, true));
      busy.put("ferry.dynamicAllocation.executorMaxLifetime", lifetime + "s");
      busy.put("ferry.app.name", "busy-a");
      try (FerryContext a = FerryContext.create(busy)) {
        CompletableFuture<List<Integer>> aWork = CompletableFuture.supplyAsync(() -> runAll(a, work(640, 200)));
        Await.until(Duration.ofSeconds(30), "A holding the whole cluster",
            () -> MasterState.used(cluster, "busy-a", "cpus") >= 8);
        assertThat(MasterState.used(cluster, "busy-a", "cpus")).as("A took the whole cluster").isEqualTo(8.0);

        busy.put("ferry.app.name", "busy-b");
        try (FerryContext b = FerryContext.create(busy)) {
          CompletableFuture<List<Integer>> bWork = CompletableFuture.supplyAsync(() -> runAll(b, work(640, 200)));
          awaitEqualShares(cluster, Duration.ofSeconds(2L * lifetime + BOUNDED_DELAY_SECONDS),
              "both holding 4 of the 8 cpus within two lifetimes (plus " + BOUNDED_DELAY_SECONDS + " s)");
          check(aWork.get(180, TimeUnit.SECONDS), 640);
          check(bWork.get(180, TimeUnit.SECONDS), 640);
          for (FerryContext app : List.of(a, b)) {
            assertThat(app.progress()).as("nothing lost, failed or run twice")
                .isEqualTo(new JobProgress(640, 640, 0, 0, 0, 0, 0));
          }
        }
      }
    }
  }

  /**
   * Waits until busy-a and busy-b each hold 4 cpus at one moment (one read of the master's state);
   * on a timeout the message lists their cpus as they changed, to show how the allocation went.
   */
  private static void awaitEqualShares(LocalCluster cluster, Duration timeout, String what) throws Exception {
    long started = System.nanoTime();
    List<String> changes = new ArrayList<>();
    String[] last = {""};
    try {
      Await.until(timeout, what, () -> {
        Map<String, Double> cpus = MasterState.usedByName(cluster, "cpus");
        double a = cpus.getOrDefault("busy-a", 0.0);
        double b = cpus.getOrDefault("busy-b", 0.0);
        String now = String.format(Locale.ROOT, "A %.0f, B %.0f", a, b);
        if (!now.equals(last[0])) {
          last[0] = now;
          changes.add(String.format(Locale.ROOT, "%.1f s: %s", (System.nanoTime() - started) / 1e9, now));
        }
        return a == 4 && b == 4;
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; the cpus held as they changed: " + changes, e);
    }
  }

  private static List<Integer> runAll(FerryContext ferry, List<Task<Integer>> tasks) {
    try {
      return ferry.runAll(tasks);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
