package io.ferry.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.api.Task;
import io.ferry.driver.testing.ExecutorArchive;
import io.ferry.mesos.local.LocalCluster;
import io.ferry.mesos.local.agent.AgentCore;
import io.ferry.mesos.local.agent.LocalAgent;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A successful job ends cleanly on {@code local-cluster}, whose agents now end a framework as Mesos
 * does (SHUTDOWN, the grace period, updates of a torn-down framework ignored): the driver's log has
 * no WARN or ERROR and no "interrupted" count, every executor exits with status 0 (none killed)
 * and logs no WARN or ERROR. The driver's log is this JVM's stderr (SLF4J simple) while the job runs.
 */
@Timeout(300)
class CleanEndOnLocalClusterTest {
  /** SLF4J simple's "[thread] LEVEL logger - message". */
  private static final Pattern LINE = Pattern.compile("(?m)^\\[([^\\]]*)\\] (TRACE|DEBUG|INFO|WARN|ERROR) (\\S+) - (.*)$");

  @TempDir Path dir;

  private static List<Task<Integer>> squares(int n) {
    List<Task<Integer>> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = i;
      tasks.add(ctx -> k * k);
    }
    return tasks;
  }

  /** Runs {@code tasks} squares on a fresh local cluster; returns the driver's log and the agents. */
  private Run run(Path work, boolean coarse, int tasks) throws Exception {
    Path archive = ExecutorArchive.build(work);
    Map<String, String> settings = new HashMap<>(Map.of(
        "ferry.master", "local-cluster[2,2,1024]",
        "ferry.executor.uri", ExecutorArchive.uri(archive),
        "ferry.mesos.coarse", String.valueOf(coarse),
        "ferry.executor.memory", "256m",
        "ferry.driver.host", "127.0.0.1",
        "ferry.driver.bindAddress", "127.0.0.1",
        "ferry.local.dir", work.resolve("work").toString()));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(new Tee(original, log), true, StandardCharsets.UTF_8));
    List<LocalAgent> agents;
    try {
      try (FerryContext ferry = FerryContext.create(settings)) {
        List<Integer> results = ferry.runAll(squares(tasks));
        for (int i = 0; i < tasks; i++) {
          assertThat(results.get(i)).isEqualTo(i * i);
        }
        agents = ferry.localCluster().map(LocalCluster::agents).orElseThrow();
      } // close(): TEARDOWN, then the cluster stops
    } finally {
      System.setErr(original);
    }
    return new Run(log.toString(StandardCharsets.UTF_8), agents, work);
  }

  record Run(String driverLog, List<LocalAgent> agents, Path work) {
    List<AgentCore.ExecutorExit> exits() {
      return agents.stream().flatMap(a -> a.executorExits().stream()).toList();
    }

    /** The executors the agents started: one sandbox directory each (.../executors/<id>/runs/...). */
    java.util.Set<String> launched() throws Exception {
      try (Stream<Path> files = Files.walk(work.resolve("work"))) {
        return files.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().equals("executors"))
            .map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
      }
    }

    /** Every executor started has an exit on record, with wait status 0: exit(0), no kill. */
    void assertEveryExecutorExitedZero(String what) throws Exception {
      assertThat(exits()).extracting(AgentCore.ExecutorExit::executorId).as(what + ": executors that exited")
          .containsExactlyInAnyOrderElementsOf(launched());
      assertThat(exits()).as(what).allSatisfy(x ->
          assertThat(x.waitStatus()).as(what + ", wait status of " + x.executorId()).hasValue(0));
    }

    /** WARN and ERROR lines of the driver's side (mesos-local, the emulated cluster, is not the driver). */
    List<String> driverTrouble() {
      List<String> trouble = new ArrayList<>();
      Matcher m = LINE.matcher(driverLog);
      while (m.find()) {
        if ((m.group(2).equals("WARN") || m.group(2).equals("ERROR")) && !m.group(3).startsWith("io.ferry.mesos.local.")) {
          trouble.add(m.group());
        }
      }
      return trouble;
    }

    /** Every executor's sandbox stderr, concatenated. */
    String executorStderr() throws Exception {
      StringBuilder all = new StringBuilder();
      try (Stream<Path> files = Files.walk(work.resolve("work"))) {
        for (Path f : files.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
          all.append(Files.readString(f));
        }
      }
      return all.toString();
    }

    /** Every executor's sandbox stderr: its WARN and ERROR lines. */
    List<String> executorTrouble() throws Exception {
      List<String> trouble = new ArrayList<>();
      try (Stream<Path> files = Files.walk(work.resolve("work"))) {
        for (Path f : files.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
          Matcher m = LINE.matcher(Files.readString(f));
          while (m.find()) {
            if (m.group(2).equals("WARN") || m.group(2).equals("ERROR")) {
              trouble.add(f.getParent().getParent().getParent().getFileName() + ": " + m.group());
            }
          }
        }
      }
      return trouble;
    }
  }

  private static void assertClean(Run run) throws Exception {
    assertThat(run.driverTrouble()).as("the driver's WARN/ERROR lines").isEmpty();
    assertThat(run.driverLog).as("a false count of interrupted tasks").doesNotContain("interrupted");
    assertThat(run.launched()).as("executors started").isNotEmpty();
    run.assertEveryExecutorExitedZero("the job");
    assertThat(run.executorTrouble()).as("the executors' WARN/ERROR lines").isEmpty();
  }

  @Test
  void aFineGrainedJobEndsWithoutWarningsAndEveryExecutorExitsZero() throws Exception {
    Run run = run(dir.resolve("fine"), false, 40);
    assertClean(run);
    // The driver tears down only once every TASK_FINISHED has come (and been acknowledged): no
    // update of the job is left for the agent to ignore, so no executor waits out its grace period.
    assertThat(run.driverLog).doesNotContain("the framework is terminating");
    assertThat(run.executorStderr()).doesNotContain("exit deadline reached");
  }

  @Test
  void aCoarseGrainedJobEndsWithoutWarningsAndEveryExecutorExitsZero() throws Exception {
    assertClean(run(dir.resolve("coarse"), true, 200));
  }

  /**
   * Undisturbed coarse runs, again and again: no executor may end by SIGKILL (it once did, when the
   * agent destroyed an executor that had closed its stream to exit, without a grace period).
   */
  @Test
  void undisturbedCoarseRunsNeverEndAnExecutorBySigkill() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    int runs = 0;
    while (runs < 6 && System.nanoTime() < deadline) {
      int n = runs;
      Run run = run(dir.resolve("loop-" + n), true, 50);
      assertThat(run.launched()).as("executors started in run " + n).isNotEmpty();
      run.assertEveryExecutorExitedZero("run " + n);
      runs++;
    }
    assertThat(runs).as("coarse runs completed").isGreaterThanOrEqualTo(3);
  }

  /** Writes to both streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int c) throws java.io.IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }

    @Override
    public synchronized void flush() throws java.io.IOException {
      a.flush();
      b.flush();
    }
  }
}
