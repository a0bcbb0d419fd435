package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.it.support.Distribution;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11, "the main job as a user sees it": the README's main job, the real {@code bin/ferry-submit}
 * of the freshly built distribution running Pi on {@code local-cluster} from the distribution's
 * archive. Piped (as in CI): stdout is the application's one line, stderr the web UI's address and
 * plain progress lines, nothing else on a healthy run (no INFO, WARN or ERROR line, no carriage
 * return). In a pseudo-terminal ({@code script} from util-linux): the progress line is redrawn in
 * place and never shares a row with the application's output. {@code --verbose}, or the user's
 * own {@code -Dorg.slf4j.simpleLogger.log.io.ferry=info}, brings Ferry's INFO lines back.
 */
@Timeout(300)
class SubmitConsoleTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) static Path dir;
  static Distribution dist;
  static Path archive;

  static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);
  static final Pattern PI = Pattern.compile("^Pi is roughly 3\\.14\\d* \\(20 slices x 1000000 darts, master mesos://127\\.0\\.0\\.1:(\\d+)\\)$");
  static final Pattern PROGRESS = Pattern.compile(
      "^\\[ferry\\] \\d+/20 tasks done, \\d+ running, \\d+ waiting, 0 failed, 0 lost, \\d+:\\d\\d$");
  static final String FINAL = "[ferry] 20/20 tasks done, 0 running, 0 waiting, 0 failed, 0 lost, ";

  @BeforeAll
  static void distribution() throws Exception {
    dist = Distribution.locate();
    archive = dist.buildArchive(Files.createDirectories(dir.resolve("archive")));
  }

  private record Run(int exit, String stdout, String stderr) {}

  private static List<String> pi(String name, String... more) {
    List<String> command = new ArrayList<>(List.of(dist.bin("ferry-submit").toString(),
        "--master", "local-cluster[2,2,2048]",
        "--executor-uri", archive.toString(),
        "--conf", "ferry.local.dir=" + dir.resolve("work-" + name)));
    command.addAll(List.of(more));
    command.addAll(List.of("--class", "io.ferry.examples.Pi", dist.examplesJar().toString(), "20"));
    return command;
  }

  /** Runs with stdout and stderr each piped to its own file; kills what is left of it at the end. */
  private static Run run(String name, List<String> command, Map<String, String> env) throws Exception {
    return run(name, command, env, false);
  }

  /** As {@link #run(String, List, Map)}; {@code merged}: stderr goes into stdout's file (2>&1). */
  private static Run run(String name, List<String> command, Map<String, String> env, boolean merged) throws Exception {
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    if (merged) {
      pb.redirectErrorStream(true);
      Files.writeString(err, "");
    } else {
      pb.redirectError(err.toFile());
    }
    pb.environment().keySet().removeIf(k -> k.startsWith("FERRY_"));
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().putAll(env);
    Process p = pb.start();
    try {
      if (!p.waitFor(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("timed out after " + RUN_TIMEOUT.toSeconds() + " s: " + String.join(" ", command)
            + "\nstdout:\n" + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
      }
      return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /**
   * stdout and stderr into one pipe (2>&1, a CI log, docker's output): the application writes its
   * result piece by piece (printf), and a progress line must never land inside it. Seen before the
   * fix as "Pi is roughly [ferry] 4/4 tasks done ...".
   */
  @Test
  void mergedIntoOnePipeNoProgressLineSplitsTheResultsLine() throws Exception {
    for (int i = 0; i < 3; i++) {
      Run r = run("merged-" + i, pi("merged-" + i, "--conf", "ferry.mesos.coarse=true"), Map.of("TERM", "xterm"), true);
      assertThat(r.exit()).as(r.stdout()).isZero();
      assertThat(r.stdout().lines().toList()).as("whole lines only:\n%s", r.stdout())
          .allMatch(l -> l.startsWith("[ferry] Mesos web UI: ") || PROGRESS.matcher(l).matches() || PI.matcher(l).matches())
          .anyMatch(l -> PI.matcher(l).matches());
    }
  }

  @ParameterizedTest(name = "coarse={0}")
  @ValueSource(booleans = {false, true})
  void pipedTheJobPrintsItsResultTheWebUiAndPlainProgressOnly(boolean coarse) throws Exception {
    Run r = run("piped-" + coarse, pi("piped-" + coarse, "--conf", "ferry.mesos.coarse=" + coarse), Map.of("TERM", "xterm"));
    String both = "stdout:\n" + r.stdout() + "\nstderr:\n" + r.stderr();
    assertThat(r.exit()).as(both).isZero();

    List<String> out = r.stdout().lines().toList();
    assertThat(out).as("stdout is the application's: %s", both).hasSize(1);
    Matcher pi = PI.matcher(out.get(0));
    assertThat(pi.matches()).as(both).isTrue();

    assertThat(r.stderr()).as("plain lines, never a carriage return:\n%s", both).doesNotContain("\r");
    List<String> err = r.stderr().lines().toList();
    assertThat(err).as(both).isNotEmpty();
    assertThat(err.get(0)).as("the web UI first: %s", both)
        .isEqualTo("[ferry] Mesos web UI: http://127.0.0.1:" + pi.group(1) + "/");
    List<String> rest = err.subList(1, err.size());
    assertThat(rest).as("only progress lines after it, no INFO, WARN or ERROR:\n%s", both).isNotEmpty()
        .allMatch(l -> PROGRESS.matcher(l).matches());
    assertThat(rest.get(rest.size() - 1)).as(both).startsWith(FINAL);
    assertThat(rest.size()).as("one line per start and end, at most one per 5 s between:\n%s", both)
        .isLessThanOrEqualTo(2 + 60 / 5);
  }

  @Test
  void onATerminalTheLineIsRedrawnInPlaceAndNeverSharesARowWithTheResult() throws Exception {
    Path script = Path.of("/usr/bin/script");
    assertThat(Files.isExecutable(script))
        .as("util-linux's script (.ci/run installs util-linux) runs ferry-submit in a pseudo-terminal").isTrue();
    String command = "stty cols 100; " + pi("tty").stream().map(SubmitConsoleTest::shellQuoted)
        .collect(Collectors.joining(" "));
    Run r = run("tty", List.of(script.toString(), "-qfec", command, "/dev/null"), Map.of("TERM", "xterm"));
    String screen = r.stdout();
    assertThat(r.exit()).as("%s\n%s", screen, r.stderr()).isZero();

    assertThat(Pattern.compile("[^\\n]\\r\\[ferry\\] \\d+/20 tasks done").matcher(screen).find())
        .as("a progress line redrawn over the last one (a carriage return, no newline):\n%s", screen).isTrue();
    String text = screen.replace("\r\n", "\n"); // the terminal's own line ends (onlcr)
    List<String> rows = rows(text);
    assertThat(rows).as("what the terminal shows:\n%s", String.join("\n", rows))
        .anyMatch(row -> PI.matcher(row).matches())
        .anyMatch(row -> row.startsWith(FINAL))
        .anyMatch(row -> row.startsWith("[ferry] Mesos web UI: http://127.0.0.1:"))
        .allMatch(row -> !row.contains("[ferry]") || row.startsWith("[ferry] "))
        .noneMatch(row -> row.contains(" INFO ") || row.contains(" WARN ") || row.contains(" ERROR "));
    for (String drawn : text.split("[\r\n]")) {
      assertThat(drawn.length()).as("'%s' fits the 100 columns less one", drawn).isLessThanOrEqualTo(99);
    }
  }

  @Test
  void verboseOrTheUsersOwnLevelBringsFerrysInfoBack() throws Exception {
    Run verbose = run("verbose", pi("verbose", "--verbose", "--conf", "ferry.mesos.coarse=true"), Map.of());
    assertThat(verbose.exit()).as(verbose.stderr()).isZero();
    assertThat(verbose.stderr()).contains(" INFO io.ferry.driver.backend.MesosBackend - registered with Mesos as framework")
        .contains("DEBUG io.ferry");

    Run own = run("own-level", pi("own-level", "--conf", "ferry.mesos.coarse=true"),
        Map.of("FERRY_JAVA_OPTS", "-Dorg.slf4j.simpleLogger.log.io.ferry=info"));
    assertThat(own.exit()).as(own.stderr()).isZero();
    assertThat(own.stderr()).contains(" INFO io.ferry.driver.backend.MesosBackend - registered with Mesos as framework")
        .doesNotContain("DEBUG io.ferry");
  }

  private static String shellQuoted(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /** The rows a terminal shows: a carriage return goes back to the row's start, the rest overwrites. */
  private static List<String> rows(String text) {
    List<String> rows = new ArrayList<>();
    StringBuilder row = new StringBuilder();
    int col = 0;
    for (char c : text.toCharArray()) {
      if (c == '\r') {
        col = 0;
      } else if (c == '\n') {
        rows.add(row.toString().stripTrailing());
        row.setLength(0);
        col = 0;
      } else {
        if (col < row.length()) {
          row.setCharAt(col, c);
        } else {
          row.append(c);
        }
        col++;
      }
    }
    rows.add(row.toString().stripTrailing());
    return rows;
  }
}
