package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.driver.FerryContext;
import io.ferry.it.jobs.RecordedTask;
import io.ferry.it.support.Await;
import io.ferry.it.support.ExecutorProcesses;
import io.ferry.it.support.JobSetup;
import io.ferry.it.support.Jobs;
import io.ferry.it.support.Ledger;
import io.ferry.it.support.MesosState;
import io.ferry.mesos.local.LocalCluster;
import io.ferry.mesos.local.agent.LocalAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both agents restart (Mesos's {@code --recover=reconnect}: the agent process dies, its executors
 * keep running) while tasks run and their status updates are not yet acknowledged (the master
 * holds the driver's ACKs back). The framework checkpoints (Ferry's default), so the very same
 * executor processes resubscribe and finish their tasks: no task runs twice (one attempt each,
 * with one attempt allowed), no task is ever LOST, FAILED, DROPPED or GONE in Mesos, and every
 * result arrives once.
 */
@Timeout(240)
class AgentRestartTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  private static final Set<String> LOST = Set.of("TASK_LOST", "TASK_FAILED", "TASK_DROPPED", "TASK_GONE",
      "TASK_UNREACHABLE", "TASK_ERROR", "TASK_KILLED");

  @Test
  void executorsResubscribeAndNoUpdateIsLostOrDuplicated() throws Exception {
    JobSetup job = JobSetup.in(dir);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    int n = 6;
    try (FerryContext ferry = FerryContext.create(Jobs.with(
        Jobs.settings("local-cluster[2,3,2048]", job.archiveUri(), false, job.appJar(), dir.resolve("work")),
        "ferry.task.maxFailures", "1", "ferry.mesos.checkpoint", "true"))) {
      LocalCluster cluster = ferry.localCluster().orElseThrow();
      poller.scheduleWithFixedDelay(() -> {
        try {
          MesosState.tasks(cluster.master()).forEach(t -> seen.add(t.id() + " " + t.state()));
        } catch (Exception e) {
          seen.add("poll failed: " + e);
        }
      }, 0, 100, TimeUnit.MILLISECONDS);
      // Updates stay unacknowledged at the agents for 2 s after the driver ACKs them.
      cluster.master().delayAcknowledgements(Duration.ofSeconds(2));
      List<CompletableFuture<Long>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(ferry.submit("restart " + i, new RecordedTask(i, 5000, job.ledger().dir())));
      }
      Await.until(Duration.ofSeconds(60), "tasks running on both agents' executors",
          () -> job.ledger().attempts().stream().map(Ledger.Attempt::pid).distinct().count() == 2
              && job.ledger().attempts().size() >= 4);
      Set<Long> before = ExecutorProcesses.under(ProcessHandle.current()).stream().map(ProcessHandle::pid)
          .collect(Collectors.toSet());
      for (LocalAgent agent : cluster.agents()) {
        agent.restart(Duration.ofMillis(1500), Duration.ofMillis(500), Duration.ofSeconds(10));
      }
      for (int i = 0; i < n; i++) {
        assertThat(futures.get(i).get(120, TimeUnit.SECONDS)).as("task %d", i).isEqualTo(RecordedTask.expected(i));
      }
      poller.shutdownNow();
      poller.awaitTermination(10, TimeUnit.SECONDS);
      List<Ledger.Attempt> attempts = job.ledger().attempts();
      assertThat(attempts).as("one attempt per task: nothing ran twice").hasSize(n);
      assertThat(attempts).allMatch(Ledger.Attempt::done);
      assertThat(attempts).as("the executors that ran before the restart finished the tasks")
          .allMatch(a -> before.contains(a.pid()));
      assertThat(ExecutorProcesses.under(ProcessHandle.current()).stream().map(ProcessHandle::pid).toList())
          .as("the same executor processes, resubscribed").containsAll(before);
    } finally {
      poller.shutdownNow();
      poller.awaitTermination(10, TimeUnit.SECONDS);
    }
    assertThat(seen).as("task states seen in the master").noneMatch(s -> LOST.stream().anyMatch(s::endsWith)
        || s.startsWith("poll failed"));
    assertThat(seen).anyMatch(s -> s.endsWith("TASK_RUNNING"));
  }
}
