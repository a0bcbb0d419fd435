package io.ferry.mesos.local.agent;

import io.ferry.mesos.local.fetcher.Fetcher;
import io.ferry.mesos.local.fetcher.SandboxLayout;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;

/**
 * Launches an executor the way Mesos's containerizer does: creates the run's sandbox (with empty
 * {@code stdout} and {@code stderr}), fetches {@code ExecutorInfo.command.uris} into it with the
 * fetch log going to {@code stderr}, then starts the command as a child process with exactly the
 * {@code MESOS_*} environment. A fetch failure fails the launch with the fetcher's reason.
 */
public final class ContainerLauncher implements AgentCore.Launcher {

  private final SandboxLayout layout;
  private final Fetcher fetcher;
  private final Supplier<ExecutorEnvironment.AgentSide> agent;
  private final Duration defaultShutdownGrace;

  public ContainerLauncher(SandboxLayout layout, Fetcher fetcher, Supplier<ExecutorEnvironment.AgentSide> agent,
      Duration defaultShutdownGrace) {
    this.layout = layout;
    this.fetcher = fetcher;
    this.agent = agent;
    this.defaultShutdownGrace = defaultShutdownGrace;
  }

  @Override
  public AgentCore.Container launch(FrameworkInfo framework, ExecutorInfo executor, String containerId,
      boolean commandExecutor, Optional<String> token) throws Exception {
    ExecutorEnvironment.AgentSide agentSide = agent.get();
    // MESOS_CHECKPOINT follows the framework's checkpoint flag.
    ExecutorEnvironment.AgentSide side = new ExecutorEnvironment.AgentSide(agentSide.agentIp(), agentSide.agentPort(),
        agentSide.agentId(), framework.getCheckpoint(), agentSide.recoveryTimeout(), agentSide.reregistrationTimeout(),
        agentSide.agentEnvironment());
    String frameworkId = framework.getId().getValue();
    String executorId = executor.getExecutorId().getValue();
    Path sandbox = layout.create(side.agentId(), frameworkId, executorId, containerId);
    try (Writer log = Files.newBufferedWriter(sandbox.resolve("stderr"), StandardCharsets.UTF_8,
        StandardOpenOption.APPEND)) {
      fetcher.fetch(executor.getCommand(), sandbox, Optional.of(framework.getUser()), log);
    }
    Duration grace = executor.hasShutdownGracePeriod()
        ? Duration.ofNanos(executor.getShutdownGracePeriod().getNanoseconds()) : defaultShutdownGrace;
    Map<String, String> env = ExecutorEnvironment.build(side, frameworkId, executorId, sandbox, grace, commandExecutor,
        token, executor.getCommand());
    ExecutorProcess process = ExecutorProcess.start(executor.getCommand(), sandbox, env);
    return new AgentCore.Container() {
      @Override
      public CompletableFuture<Integer> exit() {
        return process.exit();
      }

      @Override
      public void destroy() {
        process.destroy();
      }
    };
  }

  /** Where a run's sandbox is, for tests and the state endpoint. */
  public Path sandbox(String agentId, String frameworkId, String executorId, String containerId) throws IOException {
    return layout.sandbox(agentId, frameworkId, executorId, containerId);
  }
}
