package io.ferry.driver.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.api.Task;
import io.ferry.api.TaskSerializer;
import io.ferry.driver.FerryConf;
import io.ferry.driver.mesos.SchedulerLinkConfig;
import io.ferry.driver.scheduling.TaskScheduler;
import io.ferry.driver.testing.ExecutorArchive;
import io.ferry.mesos.local.Await;
import io.ferry.mesos.local.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first offers can come while the first tasks are being submitted. An offer declined because
 * there was no work (with the long filter, ferry.mesos.rejectOfferDuration) must leave offers
 * suppressed, so that the task that arrives next REVIVEs and the agent is offered again. A CI run
 * failed on this: the backend read the task count twice, the second read saw the new task and
 * skipped the SUPPRESS, and the declined agent stayed filtered for 120 s.
 */
@Timeout(120)
class CoarseOfferRaceTest {
  @TempDir Path dir;

  @Test
  void aTaskSubmittedRightAfterTheNoWorkCheckStillGetsTheDeclinedAgent() throws Exception {
    Path archive = ExecutorArchive.build(dir);
    ExecutorService results = Executors.newSingleThreadExecutor();
    ExecutorService submitter = Executors.newSingleThreadExecutor();
    try (LocalCluster cluster = LocalCluster.start(LocalCluster.Settings.parse("local-cluster[2,2,1024]",
        dir.resolve("cluster")))) {
      FerryConf conf = FerryConf.load(Map.of(
          "ferry.master", "mesos://" + cluster.masterAddress(),
          "ferry.executor.uri", ExecutorArchive.uri(archive),
          "ferry.executor.memory", "256m",
          "ferry.mesos.coarse", "true",
          "ferry.cores.max", "3",
          "ferry.dynamicAllocation.enabled", "false",
          "ferry.driver.host", "127.0.0.1",
          "ferry.driver.bindAddress", "127.0.0.1",
          "ferry.local.dir", dir.resolve("work").toString()));
      TaskScheduler scheduler = new TaskScheduler(new TaskScheduler.Policy(4, 2, Duration.ofMinutes(1)),
          new TaskSerializer(getClass().getClassLoader()), results);
      CoarseGrainedBackend backend = new CoarseGrainedBackend(conf, scheduler, SchedulerLinkConfig.builder(conf));
      AtomicReference<CompletableFuture<String>> late = new AtomicReference<>();
      // At the first offer, which finds no work: a task arrives right after the check. Its
      // workArrived() waits for the backend's lock, so it runs once this offer is answered.
      backend.afterWorkCheck = () -> {
        if (scheduler.activeCount() == 0 && late.get() == null) {
          late.set(CompletableFuture.supplyAsync(() -> scheduler.submit((Task<String>) ctx -> "ran", "late"), submitter)
              .thenCompose(result -> result));
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          while (scheduler.activeCount() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
          }
        }
      };
      scheduler.attach(backend);
      try {
        backend.start(List.of());
        Await.until(Duration.ofSeconds(30), "cores held on both agents (2 + 1, ferry.cores.max 3)",
            () -> backend.coresHeld() == 3);
        assertThat(late.get()).as("a task submitted right after a no-work check").isNotNull();
        assertThat(late.get().get(30, TimeUnit.SECONDS)).isEqualTo("ran");
      } finally {
        backend.close();
      }
    } finally {
      submitter.shutdownNow();
      results.shutdownNow();
    }
  }
}
