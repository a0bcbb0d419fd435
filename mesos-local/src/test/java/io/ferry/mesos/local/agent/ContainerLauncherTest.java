package io.ferry.mesos.local.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.mesos.MesosUuids;
import io.ferry.mesos.local.Await;
import io.ferry.mesos.local.ThreadTimers;
import io.ferry.mesos.local.fetcher.FetchLimit;
import io.ferry.mesos.local.fetcher.Fetcher;
import io.ferry.mesos.local.fetcher.SandboxLayout;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Sandbox, fetch and a real executor process, as Mesos's containerizer does them. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ContainerLauncherTest {

  @TempDir Path tmp;

  // The agent's own user: nothing to switch to (SwitchUserTest covers switching).
  final FrameworkInfo framework = FrameworkInfo.newBuilder().setUser(System.getProperty("user.name")).setName("f")
      .setId(FrameworkID.newBuilder().setValue("F-1")).build();

  private Path archive() throws Exception {
    Path tgz = tmp.resolve("ferry-9-bin.tgz");
    byte[] script = "#!/bin/sh\necho \"started in $(pwd) as $MESOS_EXECUTOR_ID\"\nexec sleep 300\n".getBytes(StandardCharsets.UTF_8);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tgz));
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      TarArchiveEntry dir = new TarArchiveEntry("ferry-9-bin/");
      tar.putArchiveEntry(dir);
      tar.closeArchiveEntry();
      TarArchiveEntry run = new TarArchiveEntry("ferry-9-bin/bin/ferry-executor");
      run.setMode(0100755);
      run.setSize(script.length);
      tar.putArchiveEntry(run);
      tar.write(script);
      tar.closeArchiveEntry();
    }
    return tgz;
  }

  private ExecutorInfo executor(String uri) {
    return ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue("e-1"))
        .setCommand(CommandInfo.newBuilder().setValue("cd ferry-9-bin && exec ./bin/ferry-executor")
            .addUris(CommandInfo.URI.newBuilder().setValue(uri))).build();
  }

  private ContainerLauncher launcher(Fetcher fetcher) {
    ExecutorEnvironment.AgentSide side = new ExecutorEnvironment.AgentSide("127.0.0.1", 5051, "A-S0", true,
        Duration.ofMinutes(15), Duration.ofSeconds(2), Map.of());
    return new ContainerLauncher(new SandboxLayout(tmp.resolve("work")), fetcher, () -> side, Duration.ofSeconds(5),
        FetchLimit.ofDiskResource(10240), true, tmp.resolve("work"));
  }

  @Test
  void fetchesExtractsAndStartsTheExecutorInItsSandbox() throws Exception {
    Path tgz = archive();
    try (Fetcher fetcher = Fetcher.builder().build()) {
      ContainerLauncher launcher = launcher(fetcher);
      AgentCore.Container c = launcher.launch(framework, executor(tgz.toUri().toString()), "c-1", false, Optional.empty());
      try {
        Path sandbox = launcher.sandbox("A-S0", "F-1", "e-1", "c-1");
        Path stdout = sandbox.resolve("stdout");
        Await.until(Duration.ofSeconds(20), "the executor's output", () -> Files.readString(stdout).contains("started"));
        assertThat(Files.readString(stdout)).contains("as e-1").contains(sandbox.resolve("ferry-9-bin").toString());
        assertThat(Files.readString(sandbox.resolve("stderr"))).contains("ferry-9-bin.tgz");
        assertThat(sandbox.resolve("ferry-9-bin.tgz")).exists();
      } finally {
        c.destroy();
      }
      assertThat(c.exit().get(20, TimeUnit.SECONDS)).isEqualTo(9);
    }
  }

  @Test
  void aFetchFailureFailsTheLaunchWithTheReason() throws Exception {
    try (Fetcher fetcher = Fetcher.builder().build()) {
      assertThatThrownBy(() -> launcher(fetcher).launch(framework, executor(tmp.resolve("missing.tgz").toUri().toString()), "c-2", false, Optional.empty()))
          .hasMessageContaining("missing.tgz");
    }
  }

  @Test
  void anExecutorThatNeverSubscribesIsKilledAndItsTaskFailsAtTheRegistrationTimeout() throws Exception {
    Path tgz = archive();
    List<TaskStatus> forwarded = new CopyOnWriteArrayList<>();
    List<Optional<Integer>> exits = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Fetcher fetcher = Fetcher.builder().build(); ThreadTimers agentThread = new ThreadTimers("ferry-agent-test")) {
      StatusUpdateManager updates = new StatusUpdateManager(agentThread, (fw, s) -> forwarded.add(s),
          StatusUpdateManager.INITIAL_RETRY, StatusUpdateManager.MAX_RETRY);
      AgentCore agent = new AgentCore(new AgentCore.Settings(Duration.ofSeconds(1), Duration.ofSeconds(5), "true"), agentThread,
          agentThread, pool, launcher(fetcher), new AgentCore.MasterLink() {
            @Override
            public void statusUpdate(String frameworkId, TaskStatus status) {}

            @Override
            public void executorExited(String frameworkId, ExecutorID executorId, Optional<Integer> waitStatus) {
              exits.add(waitStatus);
            }

            @Override
            public void executorMessage(String frameworkId, ExecutorID executorId, com.google.protobuf.ByteString data) {}
          }, updates);
      TaskInfo task = TaskInfo.newBuilder().setName("t").setTaskId(TaskID.newBuilder().setValue("t-1"))
          .setAgentId(AgentID.newBuilder().setValue("A-S0")).setExecutor(executor(tgz.toUri().toString())).build();
      agentThread.execute(() -> {
        agent.registered(AgentInfo.newBuilder().setHostname("localhost").setId(AgentID.newBuilder().setValue("A-S0")).build());
        agent.launch(framework, task);
      });
      Await.until(Duration.ofSeconds(30), "the registration timeout", () -> !exits.isEmpty() && !forwarded.isEmpty());
      assertThat(exits).containsExactly(Optional.of(9));
      assertThat(forwarded).singleElement().satisfies(s -> {
        assertThat(s.getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_REGISTRATION_TIMEOUT);
        assertThat(MesosUuids.isValid(s.getUuid())).isTrue();
      });
    } finally {
      pool.shutdownNow();
    }
  }
}
