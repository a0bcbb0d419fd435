package io.ferry.driver.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The executor command as an agent runs it ({@code sh -c} in the sandbox), with and without the launcher. */
@Timeout(60)
class ExecutorSpecTest {
  @TempDir Path sandbox;

  private final ExecutorSpec spec = new ExecutorSpec("hdfs://nn:8020/ferry/ferry-1.0-bin.tgz", false, List.of(), 256, "app");

  private record Run(int exit, String stdout, String stderr) {}

  private Run run(String command) throws Exception {
    Process p = new ProcessBuilder("/bin/sh", "-c", command).directory(sandbox.toFile()).start();
    try {
      p.getOutputStream().close();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the command ends").isTrue();
      return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
          new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void theCommandExecsTheLauncherInItsDirectory() throws Exception {
    Path launcher = Files.createDirectories(sandbox.resolve("ferry-1.0-bin/bin")).resolve("ferry-executor");
    Files.writeString(launcher, "#!/bin/sh\necho \"launched in $PWD\"\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    Run run = run(spec.command());
    assertThat(run.exit()).as(run.stderr()).isZero();
    assertThat(run.stdout().strip()).isEqualTo("launched in " + sandbox.resolve("ferry-1.0-bin").toRealPath());
  }

  @Test
  void withoutTheLauncherItSaysWhatItExpectedAndWhatIsThereAndExitsWithItsOwnStatus() throws Exception {
    Files.createDirectories(sandbox.resolve("some-other-dir"));
    Files.writeString(sandbox.resolve("ferry-1.0-bin.tgz"), "fetched");
    Run run = run(spec.command());
    assertThat(run.exit()).isEqualTo(ExecutorSpec.NO_LAUNCHER_EXIT_STATUS);
    assertThat(run.stderr().strip().lines()).hasSize(1);
    assertThat(run.stderr())
        .contains("ferry: no ferry-1.0-bin/bin/ferry-executor in the sandbox")
        .contains("top directory is ferry-1.0-bin/")
        .contains("the sandbox holds: ferry-1.0-bin.tgz some-other-dir");
  }

  @Test
  void theMissingLauncherIsRecognisedInARawWaitStatusOnly() {
    assertThat(ExecutorSpec.isMissingLauncher(78 << 8)).isTrue();
    assertThat(ExecutorSpec.isMissingLauncher(1 << 8)).isFalse();
    assertThat(ExecutorSpec.isMissingLauncher(0)).isFalse();
    assertThat(ExecutorSpec.isMissingLauncher(9)).as("killed by SIGKILL").isFalse();
    assertThat(ExecutorSpec.isMissingLauncher(78)).as("a signal, not an exit").isFalse();
  }

  private static java.util.Map<String, String> environment(org.apache.mesos.v1.Protos.ExecutorInfo info) {
    java.util.Map<String, String> env = new java.util.HashMap<>();
    info.getCommand().getEnvironment().getVariablesList().forEach(v -> env.put(v.getName(), v.getValue()));
    return env;
  }

  @Test
  void aCoarseExecutorGetsAYoungGenerationForManyShortTasksAndAFineOneKeepsTheJvmsSizing() {
    assertThat(environment(spec.build("e1", "fw", List.of(), true)))
        .containsEntry("FERRY_EXECUTOR_MEMORY", "256m").containsEntry("FERRY_EXECUTOR_YOUNG_GEN_MB", "32");
    assertThat(environment(spec.build("e1", "fw", List.of())))
        .containsEntry("FERRY_EXECUTOR_MEMORY", "256m").doesNotContainKey("FERRY_EXECUTOR_YOUNG_GEN_MB");
    ExecutorSpec small = new ExecutorSpec("hdfs://nn:8020/ferry/ferry-1.0-bin.tgz", false, List.of(), 64, "app");
    assertThat(environment(small.build("e1", "fw", List.of(), true))).containsEntry("FERRY_EXECUTOR_YOUNG_GEN_MB", "16");
    // Below 64 MiB the starting heap (young + 16 MiB) could pass the heap itself: the JVM's sizing then.
    ExecutorSpec tiny = new ExecutorSpec("hdfs://nn:8020/ferry/ferry-1.0-bin.tgz", false, List.of(), 63, "app");
    assertThat(environment(tiny.build("e1", "fw", List.of(), true))).doesNotContainKey("FERRY_EXECUTOR_YOUNG_GEN_MB");
  }
}
