package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.it.jobs.PiSlice;
import io.ferry.it.support.AppJar;
import io.ferry.it.support.Await;
import io.ferry.it.support.Distribution;
import io.ferry.it.support.ExecutorProcesses;
import io.ferry.it.support.FreePort;
import io.ferry.it.support.ShellLaunch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: {@code bin/ferry-shell} for scripts ({@code printf '...' | ferry-shell --master ...}):
 * the snippets' output on stdout, the exit code {@code /exit N} asks for, the context closed and no
 * executor left; a master or ZooKeeper that does not answer is one waiting line and one error line,
 * exit 2, no prompt and no stack trace; {@code --help} and bad options.
 */
@Timeout(300)
class ShellScriptTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) static Path dir;
  static Distribution dist;
  static Path archive;
  static Path appJar;

  static final Duration RUN_TIMEOUT = Duration.ofSeconds(150);
  static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(4);
  /**
   * A line of a snippet's output: JShell echoes its prompt (and a backspace) before each snippet of
   * a script, as {@code jshell < file} does.
   */
  static final String OUTPUT = "(?m)^(?:jshell> +\\x08?)?";

  @BeforeAll
  static void distribution() throws Exception {
    dist = Distribution.locate();
    archive = dist.buildArchive(Files.createDirectories(dir.resolve("archive")));
    appJar = AppJar.build(Files.createDirectories(dir.resolve("app")));
  }

  private record Run(int exit, String stdout, String stderr) {
    String both() {
      return "exit " + exit + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
    }
  }

  /** Runs {@code command} with {@code script} on stdin, stdout and stderr each in its own file. */
  private static Run run(String name, List<String> command, Map<String, String> env, String script) throws Exception {
    Path in = dir.resolve(name + ".jsh");
    Files.writeString(in, script, StandardCharsets.UTF_8);
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    ProcessBuilder pb = new ProcessBuilder(command).redirectInput(in.toFile()).redirectOutput(out.toFile())
        .redirectError(err.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("FERRY_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    try {
      if (!p.waitFor(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("timed out after " + RUN_TIMEOUT.toSeconds() + " s: " + String.join(" ", command)
            + "\nstdout:\n" + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
      }
      return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static Run script(ShellLaunch shell, String name, String script) throws Exception {
    try {
      return run(name, shell.command(), shell.environment(), script);
    } finally {
      ExecutorProcesses.anywhere(shell.executorMarker()).forEach(ProcessHandle::destroyForcibly);
    }
  }

  private static void assertClosedAndNoExecutorLeft(ShellLaunch shell, Run r) throws Exception {
    assertThat(r.stderr()).as(r.both()).containsOnlyOnce("[ferry] FerryContext closed (framework ");
    Await.until(Duration.ofSeconds(30), "no executor process of this shell",
        () -> ExecutorProcesses.anywhere(shell.executorMarker()).isEmpty());
  }

  @Test
  void aPipedScriptPrintsOnStdoutAndExitsWithItsCode() throws Exception {
    ShellLaunch shell = ShellLaunch.of(dist, archive, dir.resolve("piped-jar"), true, "--jars", appJar.toString());
    Run r = script(shell, "piped-jar", String.join("\n",
        "long pi = ferry.runAll(List.of(new io.ferry.it.jobs.PiSlice(0, 100000), new io.ferry.it.jobs.PiSlice(1, 100000)))"
            + ".stream().mapToLong(Long::longValue).sum();",
        "System.out.println(\"PI=\" + pi);",
        "/exit 3", ""));
    assertThat(r.exit()).as(r.both()).isEqualTo(3);
    assertThat(r.stdout()).as(r.both()).containsPattern(OUTPUT + "PI=" + (PiSlice.count(0, 100_000) + PiSlice.count(1, 100_000)) + "$");
    assertThat(r.stderr()).as(r.both()).contains("[ferry] master: mesos://127.0.0.1:")
        .doesNotContain(" INFO ").doesNotContain("\tat ");
    assertClosedAndNoExecutorLeft(shell, r);
  }

  @Test
  void aPipedScriptRunsSnippetCodeOnTheExecutors() throws Exception {
    ShellLaunch shell = ShellLaunch.of(dist, archive, dir.resolve("piped-snippet"), false);
    Run r = script(shell, "piped-snippet", String.join("\n",
        "long f(long x) { return x * x; }",
        "List<Task<Long>> ts = new ArrayList<>();",
        "for (long i = 1; i <= 1000; i++) { long n = i; ts.add(ctx -> f(n)); }",
        "System.out.println(\"SUM=\" + ferry.runAll(ts).stream().mapToLong(Long::longValue).sum());",
        "")); // the end of the input ends the shell: exit 0
    assertThat(r.exit()).as(r.both()).isZero();
    assertThat(r.stdout()).as(r.both()).containsPattern(OUTPUT + "SUM=333833500$");
    assertClosedAndNoExecutorLeft(shell, r);
  }

  /** No flag at all: the master from conf/ferry-defaults.conf, the archive from FERRY_EXECUTOR_URI, as for ferry-submit. */
  @Test
  void theDefaultsFileAndFerryExecutorUriApplyAsForFerrySubmit() throws Exception {
    Path conf = Files.createDirectories(dir.resolve("conf-dir"));
    Path work = dir.resolve("from-defaults");
    Files.writeString(conf.resolve("ferry-defaults.conf"), String.join("\n",
        "# as a user would write it",
        "ferry.master " + ShellLaunch.MASTER,
        "ferry.mesos.coarse=true",
        "ferry.local.dir " + work,
        ""));
    ShellLaunch shell = ShellLaunch.of(dist, archive, work, true);
    Map<String, String> env = new java.util.HashMap<>(shell.environment());
    env.put("FERRY_CONF_DIR", conf.toString());
    env.put("FERRY_EXECUTOR_URI", archive.toString());
    Run r;
    try {
      r = run("from-defaults", List.of(dist.bin("ferry-shell").toString()), env,
          "System.out.println(\"COARSE=\" + ferry.conf().coarse());\n");
    } finally {
      ExecutorProcesses.anywhere(shell.executorMarker()).forEach(ProcessHandle::destroyForcibly);
    }
    assertThat(r.exit()).as(r.both()).isZero();
    assertThat(r.stderr()).as(r.both()).containsPattern("(?m)^\\[ferry\\] master: mesos://127\\.0\\.0\\.1:\\d+ \\(local-cluster\\[2,2,2048\\]\\)$")
        .contains("[ferry] executor: " + archive);
    assertThat(r.stdout()).as(r.both()).containsPattern(OUTPUT + "COARSE=true$");
    assertClosedAndNoExecutorLeft(shell, r);
  }

  private static List<String> unreachable(String master) {
    return List.of(dist.bin("ferry-shell").toString(), "--master", master,
        "--executor-uri", "file:///nonexistent/ferry-0.1.0-bin.tgz",
        "--conf", "ferry.driver.host=127.0.0.1", "--conf", "ferry.driver.bindAddress=127.0.0.1",
        "--conf", "ferry.mesos.registrationTimeout=" + REGISTRATION_TIMEOUT.toSeconds() + "s");
  }

  /** One line saying what it waits for while it waits, then the verdict in one line; nothing else. */
  private static void assertWaitedThenOneLine(Run r, String waiting, String verdict) {
    assertThat(r.exit()).as(r.both()).isEqualTo(2);
    assertThat(r.stdout()).as("no prompt: JShell never started\n%s", r.both()).isEmpty();
    List<String> lines = r.stderr().strip().lines().toList();
    assertThat(lines).as(r.both()).hasSize(2);
    assertThat(lines.get(0)).as(r.both()).contains(" WARN ").contains(waiting);
    assertThat(lines.get(1)).as(r.both()).startsWith("ferry-shell: the driver did not start: " + verdict);
    assertThat(r.stderr()).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception");
  }

  @Test
  void anUnreachableMasterIsOneLineAndExitCode2() throws Exception {
    int port = FreePort.pick(); // closed: nothing listens there
    Run r = run("no-master", unreachable("mesos://127.0.0.1:" + port),
        Map.of("JAVA_HOME", System.getProperty("java.home")), "1 + 1\n");
    assertWaitedThenOneLine(r, "waiting for the Mesos master at 127.0.0.1:" + port,
        "cannot subscribe to the Mesos master at 127.0.0.1:" + port + " within 4s");
  }

  @Test
  void anUnreachableZooKeeperIsOneLineAndExitCode2() throws Exception {
    int port = FreePort.pick();
    Run r = run("no-zk", unreachable("mesos://zk://127.0.0.1:" + port + "/mesos"),
        Map.of("JAVA_HOME", System.getProperty("java.home")), "1 + 1\n");
    assertWaitedThenOneLine(r, "waiting for a leading Mesos master in ZooKeeper at 127.0.0.1:" + port + "/mesos",
        "no leading Mesos master in ZooKeeper mesos://zk://127.0.0.1:" + port + "/mesos within 4s");
  }

  @Test
  void helpListsEveryOptionAndABadOptionIsNamed() throws Exception {
    Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"));
    Run help = run("help", List.of(dist.bin("ferry-shell").toString(), "--help"), env, "");
    assertThat(help.exit()).as(help.both()).isZero();
    assertThat(help.stdout()).contains("--master").contains("--conf").contains("--jars").contains("--executor-uri")
        .contains("--verbose").contains("--help").contains("/exit");

    Run bad = run("bad-option", List.of(dist.bin("ferry-shell").toString(), "--mastre", "local[1]"), env, "");
    assertThat(bad.exit()).as(bad.both()).isEqualTo(2);
    assertThat(bad.stderr()).as(bad.both()).contains("ferry-shell: Unknown options: '--mastre', 'local[1]'")
        .contains("Run 'ferry-shell --help' for usage.");

    List<String> badValue = new ArrayList<>(List.of(dist.bin("ferry-shell").toString(), "--master", "local[1]",
        "--conf", "ferry.mesos.coarse=maybe"));
    Run conf = run("bad-conf", badValue, env, "");
    assertThat(conf.exit()).as(conf.both()).isEqualTo(2);
    assertThat(conf.stderr()).as(conf.both()).startsWith("ferry-shell: ").contains("ferry.mesos.coarse")
        .contains("maybe").doesNotContain("\tat ");
    assertThat(conf.stdout()).as("no prompt").isEmpty();
  }
}
