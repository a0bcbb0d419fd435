package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.it.jobs.PiSlice;
import io.ferry.it.support.AppJar;
import io.ferry.it.support.Await;
import io.ferry.it.support.Distribution;
import io.ferry.it.support.ExecutorProcesses;
import io.ferry.it.support.ShellLaunch;
import io.ferry.it.support.TmuxTerminal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 13: {@code bin/ferry-shell} of the freshly built distribution, typed into in a real terminal
 * (tmux: {@code send-keys}, {@code capture-pane}) against {@code local-cluster[2,2,2048]}, whose
 * agents fetch the distribution's archive and start real executor processes. A function defined in
 * a snippet runs over 1,000 tasks and its sum is printed; redefined, the new sum; a throwing task
 * shows a short cause with the link to its executor's log and the shell stays usable; Ctrl-C stops a
 * long job and cancels its tasks; {@code /exit},
 * Ctrl-D and SIGTERM each close the context once and leave no executor process.
 */
@Timeout(300)
class ShellTerminalTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) static Path dir;
  static Distribution dist;
  static Path archive;
  static Path appJar;

  static final Duration START = Duration.ofSeconds(90);
  static final Duration JOB = Duration.ofSeconds(120);
  static final Duration GONE = Duration.ofSeconds(30);
  /** JShell's prompt on a row of its own, the last thing on the screen ({@code screen()} trims trailing blanks). */
  static final Pattern PROMPT = Pattern.compile("(?m)^jshell>\\s*\\z");

  @BeforeAll
  static void distribution() throws Exception {
    dist = Distribution.locate();
    archive = dist.buildArchive(Files.createDirectories(dir.resolve("archive")));
    appJar = AppJar.build(Files.createDirectories(dir.resolve("app")));
  }

  /** The banner before the first prompt: master, framework, executor URI, web UI, where the logs are. */
  private static void assertBanner(String screen, boolean coarse) {
    assertThat(screen)
        .containsPattern("(?m)^\\[ferry\\] master: mesos://127\\.0\\.0\\.1:\\d+ \\(" + Pattern.quote(ShellLaunch.master(coarse)) + "\\)$")
        .containsPattern("(?m)^\\[ferry\\] framework: \\S+-\\d{4}$")
        .contains("[ferry] executor: " + archive)
        .containsPattern("(?m)^\\[ferry\\] Mesos web UI: http://127\\.0\\.0\\.1:\\d+/$")
        .containsPattern("(?m)^\\[ferry\\] executors' logs: the stdout/stderr links of each task on"
            + " http://127\\.0\\.0\\.1:\\d+/#/frameworks/\\S+ ");
  }

  /** Types a line and waits for what it must print, searching only what came after it. */
  private static Matcher type(TmuxTerminal t, String line, Pattern expected, Duration timeout) throws Exception {
    int from = t.screen().length();
    t.typeLine(line);
    Matcher m = t.await(expected, from, timeout);
    t.await(PROMPT, m.end(), timeout);
    return m;
  }

  /** The short display of a failed task, then a snippet that proves the shell still answers. */
  private static void assertShortFailureAndStillUsable(TmuxTerminal t, String failingSnippet, String message)
      throws Exception {
    int from = t.screen().length();
    t.typeLine(failingSnippet);
    Matcher failure = t.await(Pattern.compile("Exception io\\.ferry\\.driver\\.TaskFailedException: task \\d+ \\(task 0\\)"
        + " failed 4 times; the last failure, on executor \\S+ \\(agent \\S+\\): [^\\n]*IllegalStateException: "
        + Pattern.quote(message) + "; its executor's log: (http://127\\.0\\.0\\.1:\\d+/#/sandbox/\\S+/stderr)"), from, JOB);
    t.await(PROMPT, failure.end(), JOB);
    String shown = t.screen().substring(failure.start());
    assertThat(shown.lines().filter(l -> l.contains(" at ")).count())
        .as("a short cause, not the scheduler's stack trace:\n%s", shown).isLessThanOrEqualTo(2);
    assertThat(shown).doesNotContain("TaskScheduler").doesNotContain("ThreadPoolExecutor");
    type(t, "System.out.println(\"ALIVE=\" + (6 * 7))", Pattern.compile("(?m)^ALIVE=42$"), JOB);
  }

  private static void assertExitsAndNoExecutorRemains(TmuxTerminal t, List<ProcessHandle> executors, String marker,
      int expectedStatus) throws Exception {
    int status = Await.value(GONE, "ferry-shell to exit", t::exitStatus);
    String screen = t.screen();
    assertThat(status).as(screen).isEqualTo(expectedStatus);
    assertThat(Pattern.compile("\\[ferry\\] FerryContext closed \\(framework \\S+ torn down\\)").matcher(screen)
        .results().count()).as("closed exactly once:\n%s", screen).isEqualTo(1);
    Await.until(GONE, "every executor process of this shell to exit (" + executors + ")",
        () -> executors.stream().noneMatch(ProcessHandle::isAlive) && ExecutorProcesses.anywhere(marker).isEmpty());
  }

  private static void killLeftovers(String marker) {
    ExecutorProcesses.anywhere(marker).forEach(ProcessHandle::destroyForcibly);
  }

  @ParameterizedTest(name = "coarse={0}")
  @ValueSource(booleans = {false, true})
  void aSnippetFunctionRunsOverAThousandTasksThenItsRedefinition(boolean coarse) throws Exception {
    ShellLaunch shell = ShellLaunch.of(dist, archive, dir.resolve("snippets-" + coarse), coarse);
    try (TmuxTerminal t = TmuxTerminal.start(dir, "snippets-" + coarse, 200, 50, shell.shellLine())) {
      t.await(PROMPT, 0, START);
      assertBanner(t.screen(), coarse);

      type(t, "long f(long x) { return x * x; }", Pattern.compile("created method f\\(long\\)"), JOB);
      type(t, "long total() throws InterruptedException { List<Task<Long>> ts = new ArrayList<>(); for (long i = 1; i <= 1000; i++) { long n = i;"
          + " ts.add(ctx -> f(n)); } return ferry.runAll(ts).stream().mapToLong(Long::longValue).sum(); }",
          Pattern.compile("created method total\\(\\)"), JOB);
      Matcher sum = type(t, "System.out.println(\"SUM=\" + total())", Pattern.compile("(?m)^SUM=(\\d+)$"), JOB);
      assertThat(Long.parseLong(sum.group(1))).as("the sum of i*i for i in 1..1000").isEqualTo(333_833_500L);
      List<ProcessHandle> executors = ExecutorProcesses.anywhere(shell.executorMarker());
      assertThat(executors).as("the tasks ran in executor processes of this shell's cluster").isNotEmpty();

      // "replaced", as JShell's own local engine says: the ferry engine loads a new class rather than redefining one
      type(t, "long f(long x) { return 3 * x + 1; }", Pattern.compile("replaced method f\\(long\\)"), JOB);
      Matcher again = type(t, "System.out.println(\"SUM2=\" + total())", Pattern.compile("(?m)^SUM2=(\\d+)$"), JOB);
      assertThat(Long.parseLong(again.group(1))).as("the sum of 3i+1 for i in 1..1000").isEqualTo(1_502_500L);

      assertShortFailureAndStillUsable(t,
          "ferry.runAll(List.of(ctx -> { if (ctx != null) throw new IllegalStateException(\"snippet-boom\"); return 0; }))",
          "snippet-boom");

      // Ctrl-C stops a long runAll: the shell answers again, and its tasks are cancelled on the cluster
      // (the loop below would otherwise wait out their ten minutes)
      t.typeLine("List<Task<Integer>> slow = Collections.nCopies(4, ctx -> { Thread.sleep(600_000); return 0; }); ferry.runAll(slow)");
      Await.until(JOB, "the slow tasks to be submitted", () -> t.screen().contains("slow ==> "));
      Thread.sleep(3_000);
      // The offset before the key: read after it, a quick answer's prompt would already be behind it
      // (the screen's trailing blanks are cut, so the new "jshell>" ends the screen) and never found.
      int from = t.screen().length();
      t.press("C-c");
      t.await(PROMPT, from, JOB);
      type(t, "while (ferry.progress().running() > 0) Thread.sleep(50); System.out.println(\"RUNNING=\" + ferry.progress().running())",
          Pattern.compile("(?m)^RUNNING=0$"), JOB);

      t.typeLine("/exit");
      assertExitsAndNoExecutorRemains(t, executors, shell.executorMarker(), 0);
    } finally {
      killLeftovers(shell.executorMarker());
    }
  }

  /**
   * Every way out closes the context once and takes the executors with it. Tasks come from a jar
   * ({@code --jars}: classes the executors load from the driver), so this holds whatever engine
   * runs the snippets.
   */
  @ParameterizedTest(name = "{0}, coarse={1}")
  @CsvSource({"/exit, false", "Ctrl-D, true", "SIGTERM, false"})
  void everyWayOutClosesTheContextOnceAndLeavesNoExecutor(String way, boolean coarse) throws Exception {
    String name = "close-" + way.replaceAll("\\W", "") + "-" + coarse;
    ShellLaunch shell = ShellLaunch.of(dist, archive, dir.resolve(name), coarse, "--jars", appJar.toString());
    try (TmuxTerminal t = TmuxTerminal.start(dir, name, 200, 50, shell.shellLine())) {
      t.await(PROMPT, 0, START);
      assertBanner(t.screen(), coarse);
      Matcher pi = type(t, "System.out.println(\"PI=\" + ferry.runAll(List.of(new io.ferry.it.jobs.PiSlice(0, 100000),"
          + " new io.ferry.it.jobs.PiSlice(1, 100000))).stream().mapToLong(Long::longValue).sum())",
          Pattern.compile("(?m)^PI=(\\d+)$"), JOB);
      assertThat(Long.parseLong(pi.group(1))).isEqualTo(PiSlice.count(0, 100_000) + PiSlice.count(1, 100_000));
      List<ProcessHandle> executors = ExecutorProcesses.anywhere(shell.executorMarker());
      assertThat(executors).isNotEmpty();

      assertShortFailureAndStillUsable(t, "ferry.runAll(List.of(new io.ferry.it.jobs.FailingTask(\"jar-boom\")))",
          "jar-boom");

      int status = switch (way) {
        case "/exit" -> {
          t.typeLine("/exit");
          yield 0;
        }
        case "Ctrl-D" -> {
          t.press("C-d");
          yield 0;
        }
        case "SIGTERM" -> {
          ProcessHandle java = Await.value(GONE, "the shell's JVM", () -> shellJvm(t.panePid()));
          assertThat(java.destroy()).as("SIGTERM sent").isTrue();
          yield 128 + 15;
        }
        default -> throw new IllegalArgumentException(way);
      };
      assertExitsAndNoExecutorRemains(t, executors, shell.executorMarker(), status);
    } finally {
      killLeftovers(shell.executorMarker());
    }
  }

  /** The pane's shell runs {@code env}, which execs the launcher, which execs java: the shell's child. */
  private static Optional<ProcessHandle> shellJvm(long panePid) {
    return ProcessHandle.of(panePid).stream().flatMap(ProcessHandle::descendants)
        .filter(p -> p.info().commandLine().orElse("").contains("io.ferry.shell.cli.ShellMain")).findFirst();
  }
}
