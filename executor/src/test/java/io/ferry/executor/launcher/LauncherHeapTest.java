package io.ferry.executor.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/ferry-executor's heap flags as the real JVM takes them ({@code -XX:+PrintFlagsFinal}; run by
 * hand, without an agent, the executor then exits 2): the small starting heap by default, a fixed
 * young generation when the driver asks for one (coarse mode, {@code FERRY_EXECUTOR_YOUNG_GEN_MB}),
 * and a bad value refused in one line naming the variable.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LauncherHeapTest {
  @TempDir static Path shared;
  static Path home;

  @BeforeAll
  static void distribution() throws IOException {
    home = LauncherHome.build(shared.resolve("ferry-home"));
  }

  private record Run(int exit, String output) {}

  private static Run launch(Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/ferry-executor").toString()).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("MESOS_") || k.startsWith("FERRY_"));
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("FERRY_EXECUTOR_MEMORY", "256m");
    pb.environment().put("FERRY_EXECUTOR_CDS", "off");
    pb.environment().put("FERRY_EXECUTOR_JAVA_OPTS", "-XX:+PrintFlagsFinal");
    pb.environment().putAll(env);
    Process p = pb.start();
    try {
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the launcher ends").isTrue();
      return new Run(p.exitValue(), out);
    } finally {
      p.destroyForcibly();
    }
  }

  private static long flagMb(String output, String flag) {
    Matcher m = Pattern.compile("\\s" + flag + "\\s+=\\s+(\\d+)").matcher(output);
    assertThat(m.find()).as(flag + " in " + output.lines().limit(5).toList()).isTrue();
    return Long.parseLong(m.group(1)) / (1024 * 1024);
  }

  @Test
  void byDefaultTheHeapStartsSmallAndTheYoungGenerationFollowsIt() throws Exception {
    Run run = launch(Map.of());
    assertThat(flagMb(run.output(), "InitialHeapSize")).isEqualTo(16);
    assertThat(flagMb(run.output(), "NewSize")).isLessThan(16);
    assertThat(run.output()).contains("UseSerialGC").doesNotContain("Error: Could not create the Java Virtual Machine");
  }

  @Test
  void aCoarseExecutorGetsTheFixedYoungGenerationTheDriverAsksFor() throws Exception {
    Run run = launch(Map.of("FERRY_EXECUTOR_YOUNG_GEN_MB", "32"));
    assertThat(flagMb(run.output(), "NewSize")).isEqualTo(32);
    assertThat(flagMb(run.output(), "MaxNewSize")).isEqualTo(32);
    assertThat(flagMb(run.output(), "InitialHeapSize")).isEqualTo(48);
    assertThat(flagMb(run.output(), "MaxHeapSize")).isEqualTo(256);
  }

  @Test
  void aBadYoungGenerationIsABadEnvironmentExitTwoInOneLineNamingTheVariable() throws Exception {
    for (String bad : List.of("32m", "lots", "0", "-1")) {
      Run run = launch(Map.of("FERRY_EXECUTOR_YOUNG_GEN_MB", bad));
      assertThat(run.exit()).as(run.output()).isEqualTo(2);
      assertThat(run.output().strip()).startsWith("ferry-executor: FERRY_EXECUTOR_YOUNG_GEN_MB=" + bad
          + " is not a number of MiB (expected: a whole number such as 32;").hasLineCount(1);
    }
  }
}
