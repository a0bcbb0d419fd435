package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.driver.FerryContext;
import io.ferry.it.jobs.RecordedTask;
import io.ferry.it.support.Await;
import io.ferry.it.support.ExecutorProcesses;
import io.ferry.it.support.JobSetup;
import io.ferry.it.support.Jobs;
import io.ferry.it.support.Ledger;
import io.ferry.rpc.testing.StallingProxy;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A network stall between executors and their driver: rpc's {@link StallingProxy} sits in front of
 * the driver port (the driver binds {@code ferry.driver.port} and tells executors
 * {@code ferry.driver.advertisedPort}, the proxy's), forwards until the test stalls it, then
 * forwards nothing while keeping the connections open. Both ends must notice within the
 * heartbeat timeout: the driver reports the running tasks as failed (here with one attempt, so
 * their futures fail rather than run again through the same dead proxy), and the executor
 * processes exit. Nothing hangs.
 */
@Timeout(180)
class DriverLinkStallTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(3);

  @Test
  void aStalledLinkIsDetectedWithinTheHeartbeatTimeoutAndTheTasksAreReported() throws Exception {
    JobSetup job = JobSetup.in(dir);
    int driverPort;
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress("127.0.0.1", 0));
      driverPort = probe.getLocalPort();
    }
    try (StallingProxy proxy = new StallingProxy("127.0.0.1", driverPort);
        FerryContext ferry = FerryContext.create(Jobs.with(
            Jobs.settings("local-cluster[1,3,2048]", job.archiveUri(), false, job.appJar(), dir.resolve("work")),
            "ferry.driver.port", String.valueOf(driverPort),
            "ferry.driver.advertisedPort", String.valueOf(proxy.port()),
            "ferry.rpc.heartbeatInterval", "1s",
            "ferry.rpc.heartbeatTimeout", HEARTBEAT_TIMEOUT.toSeconds() + "s",
            "ferry.task.maxFailures", "1"))) {
      List<CompletableFuture<Long>> futures = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        futures.add(ferry.submit("stalled " + i, new RecordedTask(i, 120_000, job.ledger().dir())));
      }
      Await.until(Duration.ofSeconds(60), "both tasks running", () -> job.ledger().attempts().size() == 2);
      List<ProcessHandle> executors = ExecutorProcesses.under(ProcessHandle.current());
      assertThat(executors).as("the executor reached the driver through the proxy").isNotEmpty();
      // The executors talk to the proxy's port, not the driver's.
      assertThat(job.ledger().attempts()).allMatch(a -> executors.stream().anyMatch(p -> p.pid() == a.pid()));

      proxy.stall();
      long stalledAt = System.nanoTime();
      Duration bound = HEARTBEAT_TIMEOUT.multipliedBy(2);
      Await.until(bound, "the driver to report both tasks", () -> futures.stream().allMatch(CompletableFuture::isDone));
      long detectedMs = (System.nanoTime() - stalledAt) / 1_000_000;
      for (CompletableFuture<Long> f : futures) {
        assertThat(f).isCompletedExceptionally();
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, f::get);
        assertThat(e.getCause()).hasMessageContaining("lost the link");
      }
      assertThat(detectedMs).as("ms from the stall to the failed tasks").isGreaterThanOrEqualTo(
          HEARTBEAT_TIMEOUT.minusSeconds(1).toMillis());
      Await.until(bound.plusSeconds(2), "the executor processes to notice the silent driver and exit",
          () -> executors.stream().noneMatch(ProcessHandle::isAlive));
      assertThat(job.ledger().attempts()).noneMatch(Ledger.Attempt::done);
    }
  }
}
