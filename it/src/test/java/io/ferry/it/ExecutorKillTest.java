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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of executor processes mid-job, three times: the job completes, each task's
 * result is accepted exactly once, the killed executors' tasks show TASK_FAILED in Mesos (the
 * master's state) and run again on a live executor.
 */
@Timeout(240)
class ExecutorKillTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  @Test
  void killedExecutorsTasksFailInMesosAndRunAgainExactlyOnce() throws Exception {
    JobSetup job = JobSetup.in(dir);
    Map<String, String> settings = Jobs.with(
        Jobs.settings("local-cluster[2,3,2048]", job.archiveUri(), false, job.appJar(), dir.resolve("work")),
        "ferry.task.maxFailures", "10");
    int n = 24;
    try (FerryContext ferry = FerryContext.create(settings)) {
      LocalCluster cluster = ferry.localCluster().orElseThrow();
      // Scheduler ACKs reach agents 3 s late, so the killed tasks stay visible in the master's
      // state as TASK_FAILED for a while (a terminal ACK removes a task).
      cluster.master().delayAcknowledgements(Duration.ofSeconds(3));
      AtomicIntegerArray accepted = new AtomicIntegerArray(n);
      List<CompletableFuture<Long>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        CompletableFuture<Long> f = ferry.submit("recorded " + i, new RecordedTask(i, 1200, job.ledger().dir()));
        f.whenComplete((v, e) -> accepted.incrementAndGet(k));
        futures.add(f);
      }

      Set<Long> killedPids = new HashSet<>();
      Set<String> killedExecutors = new HashSet<>();
      for (int round = 0; round < 3; round++) {
        // A live executor process that is running a task right now.
        Ledger.Attempt victim = Await.value(Duration.ofSeconds(60), "an executor running a task", () -> {
          Set<Long> live = new HashSet<>();
          ExecutorProcesses.under(ProcessHandle.current()).forEach(p -> live.add(p.pid()));
          return job.ledger().attempts().stream()
              .filter(a -> !a.done() && live.contains(a.pid()) && !killedPids.contains(a.pid())).findFirst();
        });
        ProcessHandle process = ProcessHandle.of(victim.pid()).orElseThrow();
        process.destroyForcibly(); // SIGKILL
        process.onExit().get(10, TimeUnit.SECONDS);
        killedPids.add(victim.pid());
        killedExecutors.add(victim.executorId());
        Await.until(Duration.ofSeconds(20), "TASK_FAILED in the master's state for executor " + victim.executorId(),
            () -> MesosState.tasks(cluster.master()).stream()
                .anyMatch(t -> t.executorId().equals(victim.executorId()) && t.state().equals("TASK_FAILED")));
      }

      for (int i = 0; i < n; i++) {
        assertThat(futures.get(i).get(120, TimeUnit.SECONDS)).as("task %d", i).isEqualTo(RecordedTask.expected(i));
      }
      List<Ledger.Attempt> attempts = job.ledger().attempts();
      for (int i = 0; i < n; i++) {
        assertThat(accepted.get(i)).as("results accepted for task %d", i).isEqualTo(1);
        int k = i;
        List<Ledger.Attempt> mine = attempts.stream().filter(a -> a.index() == k).toList();
        assertThat(mine).as("attempts of task %d", i).isNotEmpty();
        Optional<Ledger.Attempt> killed = mine.stream().filter(a -> killedPids.contains(a.pid()) && !a.done()).findAny();
        if (killed.isPresent()) {
          assertThat(mine).as("task %d was cut off by a kill; it must have run again elsewhere", i)
              .anyMatch(a -> a.done() && !killedPids.contains(a.pid()));
        }
      }
      long cutOff = attempts.stream().filter(a -> killedPids.contains(a.pid()) && !a.done()).count();
      assertThat(cutOff).as("attempts cut off by the kills").isGreaterThanOrEqualTo(3);
      assertThat(killedExecutors).hasSize(3);
      assertThat(ExecutorProcesses.under(ProcessHandle.current()))
          .extracting(ProcessHandle::pid).doesNotContainAnyElementsOf(killedPids);
    }
    Await.until(Duration.ofSeconds(20), "every executor gone after close",
        () -> ExecutorProcesses.under(ProcessHandle.current()).isEmpty());
  }
}
