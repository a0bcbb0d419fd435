package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.it.support.ChildProcess;
import io.ferry.it.support.Distribution;
import io.ferry.it.support.FreePort;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, "no silent hangs": {@code bin/ferry-submit} from the distribution (its own
 * {@code conf/simplelogger.properties}) against a master or ZooKeeper that does not answer says in
 * one line what it waits for, then fails with one clear line within the registration timeout, with
 * no third-party stack trace; against a cluster whose agents are too small ({@code bin/ferry-mesos-local}
 * as its own process, as a real cluster would be), it warns with the numbers instead of waiting
 * without a word.
 */
@Timeout(180)
class NoSilentHangsTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) static Path dir;
  static Distribution dist;

  static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(4);
  /** JVM start, the link's release and the JVM's exit, on a loaded 2-core machine. */
  static final Duration SLACK = Duration.ofSeconds(25);

  @BeforeAll
  static void distribution() throws Exception {
    dist = Distribution.locate();
  }

  private static List<String> submit(String master, String... more) {
    List<String> command = new ArrayList<>(List.of(dist.bin("ferry-submit").toString(),
        "--master", master,
        "--executor-uri", "file:///nonexistent/ferry-0.1.0-bin.tgz",
        "--conf", "ferry.driver.host=127.0.0.1",
        "--conf", "ferry.driver.bindAddress=127.0.0.1"));
    command.addAll(List.of(more));
    command.addAll(List.of("--class", "io.ferry.examples.Pi", dist.examplesJar().toString(), "2", "1000"));
    return command;
  }

  private static ChildProcess.Result run(String name, List<String> command, Map<String, String> env) throws Exception {
    Map<String, String> all = new java.util.HashMap<>(Map.of("JAVA_HOME", System.getProperty("java.home")));
    all.putAll(env);
    return ChildProcess.run(dir.resolve(name + ".log"), all, REGISTRATION_TIMEOUT.plus(SLACK), command);
  }

  private static void assertFewLinesAndNoStackTrace(String output) {
    assertThat(output.strip().lines().count()).as("lines printed:\n%s", output).isLessThanOrEqualTo(5);
    assertThat(output).as("no stack trace").doesNotContain("\tat ").doesNotContain("at org.")
        .doesNotContain("Exception").doesNotContain("zookeeper.ClientCnxn").doesNotContain("curator");
    assertThat(output.lines().filter(l -> l.contains(" WARN ")).count()).as("one WARN at most:\n%s", output)
        .isLessThanOrEqualTo(1);
  }

  @Test
  void anUnreachableMasterIsOneWaitingLineThenOneClearError() throws Exception {
    int port = FreePort.pick(); // closed: nothing listens there
    ChildProcess.Result r = run("master", submit("mesos://127.0.0.1:" + port,
        "--conf", "ferry.mesos.registrationTimeout=" + REGISTRATION_TIMEOUT.toSeconds() + "s"), Map.of());
    String out = r.output();
    assertThat(r.exitCode()).as("a failed application exits 1 (README):\n%s", out).isEqualTo(1);
    assertThat(out).contains("waiting for the Mesos master at 127.0.0.1:" + port + " (up to 4s, ferry.mesos.registrationTimeout)")
        .contains("ferry-submit: io.ferry.examples.Pi failed: cannot subscribe to the Mesos master at 127.0.0.1:" + port
            + " within 4s");
    assertFewLinesAndNoStackTrace(out);
  }

  @Test
  void anUnreachableZooKeeperIsOneWaitingLineThenOneClearError() throws Exception {
    int port = FreePort.pick();
    ChildProcess.Result r = run("zk", submit("mesos://zk://127.0.0.1:" + port + "/mesos",
        "--conf", "ferry.mesos.registrationTimeout=" + REGISTRATION_TIMEOUT.toSeconds() + "s"), Map.of());
    String out = r.output();
    assertThat(r.exitCode()).as(out).isEqualTo(1);
    assertThat(out).contains("waiting for a leading Mesos master in ZooKeeper at 127.0.0.1:" + port + "/mesos (up to 4s")
        .contains("no leading Mesos master in ZooKeeper mesos://zk://127.0.0.1:" + port + "/mesos within 4s")
        .contains("ZooKeeper never answered");
    assertFewLinesAndNoStackTrace(out);
  }

  @Test
  void verboseShowsWhatTheThirdPartiesSaidAndEachRetry() throws Exception {
    int port = FreePort.pick();
    ChildProcess.Result r = run("zk-verbose", submit("mesos://zk://127.0.0.1:" + port + "/mesos", "--verbose",
        "--conf", "ferry.mesos.registrationTimeout=" + REGISTRATION_TIMEOUT.toSeconds() + "s"), Map.of());
    assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
    assertThat(r.output()).contains("org.apache.zookeeper").contains("DEBUG io.ferry");
  }

  /**
   * Agents of 1 cpu and 512 MB: in fine mode one executor with one task needs 2 cpus and
   * 1408 MB, in coarse mode one slot needs 1408 MB. Each driver warns, within the (shortened)
   * delay of the first offers, with both sides' numbers and the settings to change.
   */
  @Test
  void agentsTooSmallForOneExecutorGetAWarningWithTheNumbers() throws Exception {
    Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"));
    Path work = dir.resolve("mesos-work");
    try (ChildProcess mesos = ChildProcess.start(dir.resolve("mesos.log"), env, List.of(
        dist.bin("ferry-mesos-local").toString(), "--agents", "1", "--cpus", "1", "--mem", "512",
        "--allocation-interval", "200", "--work-dir", work.toString()))) {
      String master = mesos.awaitLine(Pattern.compile("(mesos://127\\.0\\.0\\.1:\\d+)"), Duration.ofSeconds(60)).group(1);
      for (boolean coarse : new boolean[] {false, true}) {
        // Ferry's INFO too (ferry-submit shows WARN by default): the registration line times the warning.
        Map<String, String> driverEnv = Map.of("JAVA_HOME", System.getProperty("java.home"),
            "FERRY_JAVA_OPTS", "-Dio.ferry.driver.starvationWarningDelay=2s -Dorg.slf4j.simpleLogger.log.io.ferry=info");
        try (ChildProcess driver = ChildProcess.start(dir.resolve("driver-" + coarse + ".log"), driverEnv,
            submit(master, "--conf", "ferry.mesos.coarse=" + coarse))) {
          Matcher m = driver.awaitLine(Pattern.compile("^(\\S+) WARN .*(no Mesos offer fits this application: .*)"),
              Duration.ofSeconds(40));
          String line = m.group(2);
          // Within the configured delay (2 s) of the first offers, which come right after registration.
          Matcher registered = driver.awaitLine(Pattern.compile("^(\\S+) INFO .*registered with Mesos as framework"),
              Duration.ofSeconds(1));
          Duration afterRegistration = Duration.between(OffsetDateTime.parse(registered.group(1)),
              OffsetDateTime.parse(m.group(1)));
          assertThat(afterRegistration).as("the warning came %s after the registration", afterRegistration)
              .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(2 + 5));
          assertThat(line).contains("task(s) have waited").contains("none runs")
              .contains("mem 1408 MB (ferry.executor.memory 1024m + ferry.executor.memoryOverhead 384m)")
              .contains("had cpus 1 and mem 512 MB")
              .contains("lower ferry.executor.memory or ferry.executor.memoryOverhead");
          if (coarse) {
            assertThat(line).contains("one executor (a coarse slot) needs cpus 1 whole (ferry.task.cpus 1)")
                .doesNotContain("ferry.mesos.coarse=true");
          } else {
            assertThat(line).contains("one executor with one task needs cpus 2 (ferry.executor.cores 1 + ferry.task.cpus 1)")
                .contains("or use ferry.mesos.coarse=true");
          }
          assertThat(driver.output().lines().filter(l -> l.contains("no Mesos offer fits")).count())
              .as("one line, not one per offer").isEqualTo(1);
        }
      }
    }
  }
}
