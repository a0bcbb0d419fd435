package io.ferry.mesos.local.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mesos.local.Await;
import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes, as the containerizer starts them. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExecutorProcessTest {

  @TempDir Path sandbox;

  @Test
  void runsInTheSandboxWithExactlyItsEnvironmentAndAppendsOutput() throws Exception {
    Files.writeString(sandbox.resolve("stderr"), "fetcher: done\n");
    ExecutorProcess p = ExecutorProcess.start(CommandInfo.newBuilder().setValue("pwd; env | sort; echo oops >&2; exit 3").build(),
        sandbox, Map.of("PATH", ExecutorEnvironment.DEFAULT_PATH, "MESOS_EXECUTOR_ID", "e-1"));
    assertThat(p.exit().get(20, TimeUnit.SECONDS)).isEqualTo(3 << 8);
    String out = Files.readString(sandbox.resolve("stdout"));
    assertThat(out).startsWith(sandbox.toRealPath() + "\n").contains("MESOS_EXECUTOR_ID=e-1\n");
    assertThat(out).doesNotContain("HOME=").doesNotContain("JAVA_HOME=");
    assertThat(Files.readString(sandbox.resolve("stderr"))).isEqualTo("fetcher: done\noops\n");
  }

  @Test
  void destroyKillsTheWholeTreeAndReportsTheSignal() throws Exception {
    Path marker = sandbox.resolve("child.pid");
    ExecutorProcess p = ExecutorProcess.start(CommandInfo.newBuilder()
        .setValue("sleep 300 & echo $! > " + marker + "; wait").build(), sandbox, Map.of("PATH", ExecutorEnvironment.DEFAULT_PATH));
    Await.until(Duration.ofSeconds(10), "the child's pid", () -> Files.exists(marker) && Files.readString(marker).endsWith("\n"));
    long child = Long.parseLong(Files.readString(marker).trim());
    p.destroy();
    assertThat(p.exit().get(20, TimeUnit.SECONDS)).isEqualTo(9);
    ProcessHandle.of(child).ifPresent(h -> assertThat(h.onExit().orTimeout(10, TimeUnit.SECONDS).join().isAlive()).isFalse());
  }

  @Test
  void shellFalseRunsTheProgramWithItsArguments() throws Exception {
    ExecutorProcess p = ExecutorProcess.start(CommandInfo.newBuilder().setShell(false).setValue("/bin/echo")
        .addArguments("echo").addArguments("hello").addArguments("world").build(), sandbox,
        Map.of("PATH", ExecutorEnvironment.DEFAULT_PATH));
    assertThat(p.exit().get(20, TimeUnit.SECONDS)).isZero();
    assertThat(Files.readString(sandbox.resolve("stdout"))).isEqualTo("hello world\n");
  }
}
