package io.ferry.mesos.local.agent;

import io.ferry.mesos.local.fetcher.internal.ReasonText;
import io.ferry.mesos.local.user.UnixAccount;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Image;

/**
 * An executor whose {@code ExecutorInfo.container} names an image, run as Mesos's unified
 * containerizer runs it ({@code ContainerInfo} type {@code MESOS} with an {@code Image} of type
 * {@code DOCKER}), with Docker as the runtime:
 *
 * <pre>
 * docker run --rm --name mesos-&lt;containerId&gt; --network host --user &lt;uid&gt;:&lt;gid&gt;
 *     --mount type=bind,src=&lt;sandbox&gt;,dst=/mnt/mesos/sandbox [--workdir /mnt/mesos/sandbox]
 *     --label io.ferry.mesos-local.agent=... -e MESOS_... --entrypoint ... IMAGE ...
 * </pre>
 *
 * <p>What follows Mesos (its {@code docker/runtime} isolator and containerizer): the sandbox is
 * mounted at {@code /mnt/mesos/sandbox} ({@code --sandbox_directory}) and {@code MESOS_SANDBOX}
 * says so while {@code MESOS_DIRECTORY} keeps the agent's path; the image's {@code Env} comes
 * before {@code CommandInfo.environment} and Mesos's default {@code PATH} is not forced over the
 * image's; the working directory is the image's {@code WorkingDir}, else the sandbox; the image's
 * {@code User} is ignored (Mesos only warns): the container runs as the task's user when the
 * agent switches users, else as the agent's user; {@code shell=true} runs {@code /bin/sh -c value}
 * and {@code shell=false} with a value runs it with {@code arguments[1..]}, the image's
 * {@code Entrypoint} and {@code Cmd} ignored either way; {@code Image.cached=false} pulls the image
 * again, an image not on the agent is pulled. The container uses the host's network only: the
 * executor reaches its agent and its driver on the addresses it was given.
 *
 * <p>The container is named after the container ID, so destroying it ({@code docker rm -f}) stops
 * every process in it; its output goes through the {@code docker run} client into the sandbox's
 * {@code stdout} and {@code stderr}, and the client's exit status is the container's (137 for a
 * kill, read as SIGKILL).
 */
final class ImageContainer {

  /** Mesos's {@code --sandbox_directory}: where the sandbox appears inside a container with an image. */
  static final String SANDBOX = "/mnt/mesos/sandbox";

  /** The label every container of mesos-local carries, valued with the agent's ID. */
  static final String AGENT_LABEL = "io.ferry.mesos-local.agent";

  /** How long a pull may take. */
  private static final Duration PULL_TIMEOUT = Duration.ofMinutes(10);

  /** Variables the docker client reads itself: passed by value, never through the client's environment. */
  private static final Set<String> CLIENT_OWN = Set.of("PATH", "HOME", "DOCKER_HOST", "DOCKER_CONFIG", "DOCKER_CONTEXT",
      "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "DOCKER_API_VERSION");

  private ImageContainer() {}

  /** The container's image, when the executor names one. */
  record Spec(String image, boolean forcePull) {}

  /**
   * The image an executor asks for, or empty when it runs on the agent's own file system.
   *
   * @throws IOException naming what mesos-local cannot run: Mesos's Docker containerizer (type
   *     {@code DOCKER}) or an APPC image
   */
  static Optional<Spec> of(ExecutorInfo executor) throws IOException {
    if (!executor.hasContainer()) {
      return Optional.empty();
    }
    ContainerInfo container = executor.getContainer();
    if (container.getType() != ContainerInfo.Type.MESOS) {
      throw new IOException("ExecutorInfo.container has type " + container.getType() + ": mesos-local runs"
          + " containers of type MESOS only (Mesos's unified containerizer); give the image as"
          + " ContainerInfo.mesos.image with type DOCKER");
    }
    if (!container.hasMesos() || !container.getMesos().hasImage()) {
      return Optional.empty();
    }
    Image image = container.getMesos().getImage();
    if (image.getType() != Image.Type.DOCKER || !image.hasDocker() || image.getDocker().getName().isBlank()) {
      throw new IOException("ExecutorInfo.container.mesos.image has type " + image.getType() + (image.hasDocker()
          ? "" : " and no docker name") + ": mesos-local runs DOCKER images only (Image.docker.name)");
    }
    return Optional.of(new Spec(image.getDocker().getName(), image.hasCached() && !image.getCached()));
  }

  /**
   * Starts the container (after checking the daemon, pulling the image when needed and reading its
   * working directory) and returns it.
   *
   * @param env the container's environment from the image's {@code Env} ({@link ExecutorEnvironment#forImage})
   * @param user who the container runs as
   * @param labels put on the container, so that tools (and tests) can find the agent's containers
   * @throws IOException when there is no CLI, no daemon, no image or the client cannot start
   */
  static AgentCore.Container start(DockerCli docker, Spec spec, CommandInfo command, Path sandbox,
      java.util.function.Function<Map<String, String>, Map<String, String>> env, UnixAccount user, String containerName,
      Map<String, String> labels) throws IOException {
    docker.requireDaemon();
    ImageConfig config = prepareImage(docker, spec);
    Map<String, String> clientEnv = new LinkedHashMap<>(docker.cliEnvironment());
    List<String> argv = new ArrayList<>(List.of(docker.executable(), "run", "--rm", "--name", containerName,
        "--network", "host", "--user", user.uid() + ":" + user.gid(), "--pull", "never",
        "--mount", mount(sandbox)));
    if (config.workingDir().isEmpty()) {
      argv.addAll(List.of("--workdir", SANDBOX));
    }
    labels.forEach((k, v) -> argv.addAll(List.of("--label", k + "=" + v)));
    env.apply(config.env()).forEach((name, value) -> {
      if (CLIENT_OWN.contains(name) || clientEnv.containsKey(name)) {
        argv.addAll(List.of("-e", name + "=" + value));
      } else {
        // By name: the value travels in the client's environment, not in a process list
        // (MESOS_EXECUTOR_AUTHENTICATION_TOKEN, the framework's own variables).
        argv.addAll(List.of("-e", name));
        clientEnv.put(name, value);
      }
    });
    if (!command.hasShell() || command.getShell()) {
      argv.addAll(List.of("--entrypoint", "/bin/sh", spec.image(), "-c", command.getValue()));
    } else {
      argv.addAll(List.of("--entrypoint", command.getValue(), spec.image()));
      List<String> args = command.getArgumentsList();
      argv.addAll(args.isEmpty() ? List.of() : args.subList(1, args.size()));
    }
    ExecutorProcess client = ExecutorProcess.start(argv, sandbox, clientEnv);
    return new Running(docker, containerName, client);
  }

  /**
   * A started container. Destroying it removes it through the daemon, which owns it (killing the
   * client alone would leave it running); a second removal after the client is gone catches a
   * container the daemon created while the first one ran. Its exit is then reported only once
   * that second removal has ended, so an agent that waits for its containers' exits waits until
   * Docker has none of them left.
   */
  private static final class Running implements AgentCore.Container {
    private final DockerCli docker;
    private final String name;
    private final ExecutorProcess client;
    private final CompletableFuture<Void> removed = new CompletableFuture<>();
    private volatile boolean destroyed;
    private final CompletableFuture<Integer> exit;

    Running(DockerCli docker, String name, ExecutorProcess client) {
      this.docker = docker;
      this.name = name;
      this.client = client;
      this.exit = client.exit().thenCompose(status -> destroyed
          ? removed.thenApply(done -> status) : CompletableFuture.completedFuture(status));
    }

    @Override
    public CompletableFuture<Integer> exit() {
      return exit;
    }

    @Override
    public void destroy() {
      destroyed = true;
      docker.removeAsync(name).whenComplete((first, e) -> {
        client.destroy();
        client.exit().whenComplete((status, e2) ->
            docker.removeAsync(name).whenComplete((second, e3) -> removed.complete(null)));
      });
    }
  }

  /** What Mesos reads of an image's config: its {@code WorkingDir} (empty: none) and {@code Env}. */
  record ImageConfig(String workingDir, Map<String, String> env) {

    /** From {@link #FORMAT}'s output: the working directory, then one {@code NAME=value} per line. */
    static ImageConfig parse(String text) {
      List<String> lines = text.lines().toList();
      Map<String, String> env = new LinkedHashMap<>();
      for (String line : lines.isEmpty() ? List.<String>of() : lines.subList(1, lines.size())) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          env.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
      return new ImageConfig(lines.isEmpty() ? "" : lines.get(0).strip(), env);
    }

    static final String FORMAT = "{{.Config.WorkingDir}}{{range .Config.Env}}\n{{.}}{{end}}";
  }

  /** Pulls the image when Mesos would (not on the agent, or {@code cached=false}); returns its config. */
  private static ImageConfig prepareImage(DockerCli docker, Spec spec) throws IOException {
    DockerCli.Result inspect = spec.forcePull() ? null : inspect(docker, spec.image());
    if (inspect == null || inspect.exit() != 0) {
      DockerCli.Result pull = docker.withTimeout(PULL_TIMEOUT).run(List.of("pull", "--quiet", spec.image()));
      if (pull.exit() != 0) {
        throw new IOException("cannot pull container image '" + ReasonText.quote(spec.image()) + "' (docker pull: "
            + pull.firstLine() + "); build or load it on this agent (docker image ls), or check its name");
      }
      inspect = inspect(docker, spec.image());
      if (inspect.exit() != 0) {
        throw new IOException("container image '" + ReasonText.quote(spec.image()) + "' cannot be inspected after"
            + " the pull (docker image inspect: " + inspect.firstLine() + ")");
      }
    }
    return ImageConfig.parse(inspect.stdout());
  }

  private static DockerCli.Result inspect(DockerCli docker, String image) throws IOException {
    return docker.run(List.of("image", "inspect", "--format", ImageConfig.FORMAT, image));
  }

  /** {@code type=bind,src=...,dst=...}, the source quoted as CSV when it holds a comma or a quote. */
  static String mount(Path sandbox) {
    String src = "src=" + sandbox;
    if (src.contains(",") || src.contains("\"")) {
      src = "\"" + src.replace("\"", "\"\"") + "\"";
    }
    return "type=bind," + src + ",dst=" + SANDBOX;
  }
}
