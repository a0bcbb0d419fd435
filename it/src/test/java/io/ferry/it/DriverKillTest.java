package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.it.support.Await;
import io.ferry.it.support.ChildProcess;
import io.ferry.it.support.ExecutorProcesses;
import io.ferry.it.support.JobSetup;
import io.ferry.it.support.Ledger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a driver while its executors run tasks. Mesos (here {@code bin/ferry-mesos-local}
 * as its own process, as a real cluster outlives its frameworks) keeps the framework for its
 * failover timeout, so nothing but the executors themselves can notice: every executor process
 * must exit within twice the heartbeat timeout, and none may remain (checked by PID).
 */
@Timeout(180)
class DriverKillTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(3);

  @Test
  void everyExecutorExitsWithinTwiceTheHeartbeatTimeout() throws Exception {
    JobSetup job = JobSetup.in(dir);
    Path work = dir.resolve("mesos-work");
    Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"));
    try (ChildProcess mesos = ChildProcess.start(dir.resolve("mesos.log"), env, List.of(
            job.dist().bin("ferry-mesos-local").toString(), "--agents", "2", "--cpus", "3", "--mem", "2048",
            "--allocation-interval", "200", "--work-dir", work.toString()))) {
      String master = mesos.awaitLine(Pattern.compile("(mesos://127\\.0\\.0\\.1:\\d+)"), Duration.ofSeconds(60)).group(1);
      try (ChildProcess driver = ChildProcess.start(dir.resolve("driver.log"), env, List.of(
              job.dist().bin("ferry-submit").toString(),
              "--master", master,
              "--executor-uri", job.archiveUri(),
              "--conf", "ferry.driver.host=127.0.0.1",
              "--conf", "ferry.driver.bindAddress=127.0.0.1",
              "--conf", "ferry.executor.memory=192m",
              "--conf", "ferry.executor.memoryOverhead=64m",
              "--conf", "ferry.rpc.heartbeatInterval=1s",
              "--conf", "ferry.rpc.heartbeatTimeout=" + HEARTBEAT_TIMEOUT.toSeconds() + "s",
              "--class", "io.ferry.it.jobs.LongJob",
              job.appJar().toString(), job.ledger().dir(), "4", "120000"))) {
        // Both agents' executors run tasks.
        Await.until(Duration.ofSeconds(90), "tasks running on two executor processes",
            () -> job.ledger().attempts().stream().map(Ledger.Attempt::pid).distinct().count() >= 2);
        List<ProcessHandle> executors = ExecutorProcesses.under(mesos.process().toHandle());
        Set<Long> pids = executors.stream().map(ProcessHandle::pid).collect(Collectors.toSet());
        assertThat(pids).as("executor processes under ferry-mesos-local").hasSizeGreaterThanOrEqualTo(2)
            .containsAll(job.ledger().attempts().stream().map(Ledger.Attempt::pid).toList());

        long killedAt = System.nanoTime();
        driver.kill9();
        Await.until(HEARTBEAT_TIMEOUT.multipliedBy(2), "every executor process (" + pids + ") to exit",
            () -> executors.stream().noneMatch(ProcessHandle::isAlive));
        long ms = (System.nanoTime() - killedAt) / 1_000_000;
        assertThat(ms).isLessThanOrEqualTo(HEARTBEAT_TIMEOUT.multipliedBy(2).toMillis());
        assertThat(driver.exitCode()).as("the driver was killed").contains(137);
      }
      // No orphan: nothing started from this test's sandboxes is alive, under mesos-local or not.
      assertThat(ExecutorProcesses.under(mesos.process().toHandle())).isEmpty();
      assertThat(ExecutorProcesses.anywhere(work.toString())).isEmpty();
      assertThat(mesos.process().isAlive()).as("Mesos outlives the driver").isTrue();
    }
  }
}
