package io.ferry.mesos.local.agent;

import io.ferry.mesos.local.executor.CommandArgv;
import io.ferry.mesos.local.fetcher.FetchException;
import io.ferry.mesos.local.fetcher.FetchLimit;
import io.ferry.mesos.local.fetcher.FetchOptions;
import io.ferry.mesos.local.fetcher.Fetcher;
import io.ferry.mesos.local.fetcher.SandboxLayout;
import io.ferry.mesos.local.user.UnixAccount;
import io.ferry.mesos.local.user.UserSwitch;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;

/**
 * Launches an executor the way Mesos's containerizer does: creates the run's sandbox (with empty
 * {@code stdout} and {@code stderr}), fetches {@code ExecutorInfo.command.uris} into it with the
 * fetch log going to {@code stderr}, then starts the command as a child process with exactly the
 * {@code MESOS_*} environment. A fetch failure fails the launch with the fetcher's reason.
 *
 * <p>The container's user is {@code CommandInfo.user}, else {@code FrameworkInfo.user}. When the
 * agent switches users ({@link ContainerUsers}: {@code switch_user} on and the agent is root), local
 * files are fetched as that user, the sandbox is then handed to the user ({@code 0750}), and the
 * executor runs as the user; an unknown user fails the launch. Otherwise everything runs as the
 * agent's user and the sandbox is still {@code 0750}. What one fetch may write is bounded by the
 * agent's {@link FetchLimit}.
 *
 * <p>An executor whose {@code ExecutorInfo.container} names a Docker image runs in a container
 * of that image ({@link ImageContainer}), as the task's user (or the agent's), with the sandbox
 * mounted at {@code /mnt/mesos/sandbox}.
 *
 * <p>An executor whose {@code ContainerInfo.network_infos} names a CNI network the agent does not
 * know fails to launch ({@link CniNetworks}), before anything is fetched.
 */
public final class ContainerLauncher implements AgentCore.Launcher {

  private final SandboxLayout layout;
  private final Fetcher fetcher;
  private final Supplier<ExecutorEnvironment.AgentSide> agent;
  private final Duration defaultShutdownGrace;
  private final FetchLimit fetchLimit;
  private final ContainerUsers users;
  private final CommandExecutorStage commandExecutor;
  private final UnixAccount agentUser = UnixAccount.current();
  private final DockerCli docker;
  private final SandboxCreated sandboxCreated;
  private final CniNetworks networks;

  /** Told of each run's sandbox as soon as it exists, before the fetch (as Mesos attaches it to its files). */
  @FunctionalInterface
  public interface SandboxCreated {
    void created(String frameworkId, String executorId, Path sandbox, boolean checkpoint);
  }

  /**
   * @param fetchLimit the most one fetch may write into a sandbox
   * @param switchUser Mesos's {@code --switch_user}: run containers as their user (root only)
   * @param workDir the agent's work directory; the command executor's class path is copied to
   *     {@code <workDir>/libexec} when it must run as another user
   */
  public ContainerLauncher(SandboxLayout layout, Fetcher fetcher, Supplier<ExecutorEnvironment.AgentSide> agent,
      Duration defaultShutdownGrace, FetchLimit fetchLimit, boolean switchUser, Path workDir) {
    this(layout, fetcher, agent, defaultShutdownGrace, fetchLimit, switchUser, workDir, DockerCli.DEFAULT,
        (f, e, s, c) -> { });
  }

  /**
   * @param docker runs executors whose ExecutorInfo names a container image ({@link ImageContainer})
   * @param sandboxCreated told of each sandbox once it exists (the agent's files endpoints attach it)
   */
  public ContainerLauncher(SandboxLayout layout, Fetcher fetcher, Supplier<ExecutorEnvironment.AgentSide> agent,
      Duration defaultShutdownGrace, FetchLimit fetchLimit, boolean switchUser, Path workDir, DockerCli docker,
      SandboxCreated sandboxCreated) {
    this(layout, fetcher, agent, defaultShutdownGrace, fetchLimit, switchUser, workDir, docker, sandboxCreated,
        CniNetworks.NONE);
  }

  /** @param networks the CNI networks the agent knows: a container joining another fails to launch */
  public ContainerLauncher(SandboxLayout layout, Fetcher fetcher, Supplier<ExecutorEnvironment.AgentSide> agent,
      Duration defaultShutdownGrace, FetchLimit fetchLimit, boolean switchUser, Path workDir, DockerCli docker,
      SandboxCreated sandboxCreated, CniNetworks networks) {
    this.networks = networks;
    this.docker = docker;
    this.sandboxCreated = sandboxCreated;
    this.layout = layout;
    this.fetcher = fetcher;
    this.agent = agent;
    this.defaultShutdownGrace = defaultShutdownGrace;
    this.fetchLimit = fetchLimit;
    this.users = new ContainerUsers(switchUser, UnixAccount.current());
    this.commandExecutor = new CommandExecutorStage(workDir.resolve("libexec").resolve("command-executor"));
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
    String user = executor.getCommand().hasUser() ? executor.getCommand().getUser() : framework.getUser();
    // Checked before anything is made: a container kind mesos-local cannot run fails the launch.
    Optional<ImageContainer.Spec> image = ImageContainer.of(executor);
    Path sandbox = layout.create(side.agentId(), frameworkId, executorId, containerId);
    sandboxCreated.created(frameworkId, executorId, sandbox, framework.getCheckpoint());
    // Mesos's isolators prepare the container before the fetcher runs: an unknown network fetches nothing.
    networks.check(executor);
    Optional<UnixAccount> runAs = users.resolve(user);
    Optional<UserSwitch> userSwitch = runAs.isPresent() ? Optional.of(UserSwitch.locate()) : Optional.empty();
    if (runAs.isPresent()) {
      SandboxOwnership.checkReachable(userSwitch.get(), runAs.get(), sandbox);
    }
    try (Writer log = Files.newBufferedWriter(sandbox.resolve("stderr"), StandardCharsets.UTF_8,
        StandardOpenOption.APPEND)) {
      fetcher.fetch(executor.getCommand().getUrisList(), sandbox,
          new FetchOptions(Optional.of(user), fetchLimit, runAs), log);
    } catch (FetchException | IOException | RuntimeException failure) {
      // The user may read the fetch log of a failed launch too (as with Mesos).
      try {
        handOver(sandbox, runAs);
      } catch (IOException e) {
        failure.addSuppressed(e);
      }
      throw failure;
    }
    handOver(sandbox, runAs);
    Duration grace = executor.hasShutdownGracePeriod()
        ? Duration.ofNanos(executor.getShutdownGracePeriod().getNanoseconds()) : defaultShutdownGrace;
    if (image.isPresent()) {
      return ImageContainer.start(docker, image.get(), executor.getCommand(), sandbox,
          imageEnv -> ExecutorEnvironment.forImage(side, frameworkId, executorId, sandbox, ImageContainer.SANDBOX, grace,
              token, executor.getCommand(), imageEnv),
          runAs.orElse(agentUser), "mesos-" + containerId, Map.of(ImageContainer.AGENT_LABEL, side.agentId(),
              "io.ferry.mesos-local.framework", frameworkId, "io.ferry.mesos-local.executor", executorId));
    }
    Map<String, String> env = ExecutorEnvironment.build(side, frameworkId, executorId, sandbox, grace, commandExecutor,
        token, executor.getCommand());
    ExecutorProcess process = runAs.isPresent()
        ? ExecutorProcess.startRedirectingItself(argv(executor.getCommand(), commandExecutor, runAs, userSwitch),
            sandbox, env)
        : ExecutorProcess.start(CommandArgv.of(executor.getCommand()), sandbox, env);
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

  /** Handed over only after the fetch: while the agent writes there, no process of the user can touch it. */
  private static void handOver(Path sandbox, Optional<UnixAccount> runAs) throws IOException {
    if (runAs.isPresent()) {
      SandboxOwnership.handOver(sandbox, runAs.get());
    } else {
      SandboxOwnership.close(sandbox);
    }
  }

  /**
   * The switched command: {@code setpriv} becomes the user, then a shell, as the user, appends
   * stdout and stderr to the sandbox's files and execs the command (one pid throughout). The files
   * are opened as the user, not by the agent: the sandbox is the user's now, and root must not
   * open a name there that the user may have turned into a symlink.
   */
  private List<String> argv(CommandInfo command, boolean isCommandExecutor, Optional<UnixAccount> runAs,
      Optional<UserSwitch> userSwitch) throws IOException {
    CommandInfo run = isCommandExecutor ? command.toBuilder().setValue(commandExecutor.stagedCommand()).build() : command;
    List<String> redirected = new java.util.ArrayList<>(List.of("/bin/sh", "-c",
        "exec >>stdout 2>>stderr; exec \"$@\"", "sh"));
    redirected.addAll(CommandArgv.of(run));
    return userSwitch.orElseThrow().command(runAs.orElseThrow(), redirected);
  }

  /** Where a run's sandbox is, for tests and the state endpoint. */
  public Path sandbox(String agentId, String frameworkId, String executorId, String containerId) throws IOException {
    return layout.sandbox(agentId, frameworkId, executorId, containerId);
  }
}
