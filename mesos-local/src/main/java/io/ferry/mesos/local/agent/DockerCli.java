package io.ferry.mesos.local.agent;

import io.ferry.mesos.local.fetcher.internal.ReasonText;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code docker} command line an agent runs image containers with (see {@link ImageContainer}):
 * where the CLI is, which daemon it talks to, and the short commands around a container's life
 * ({@code version}, {@code image inspect}, {@code pull}, {@code rm -f}), each bounded by a timeout
 * so that a daemon that does not answer fails a launch instead of hanging it.
 *
 * <p>Mesos's own unified containerizer needs no daemon (it unpacks images itself); mesos-local
 * borrows Docker's runtime for that part, so "no Docker daemon" is a launch failure that says so.
 *
 * @param cli the {@code docker} executable: a path, or a bare name looked up on {@code PATH}
 * @param host the daemon ({@code DOCKER_HOST}, e.g. {@code unix:///tmp/d/docker.sock}); empty for
 *     the CLI's default ({@code /var/run/docker.sock}, or the agent's own {@code DOCKER_HOST})
 * @param commandTimeout how long one short command may take
 */
public record DockerCli(String cli, Optional<String> host, Duration commandTimeout) {

  /** {@code docker} on the agent's {@code PATH}, the daemon the agent's environment names, 30 s per command. */
  public static final DockerCli DEFAULT = new DockerCli("docker", Optional.empty(), Duration.ofSeconds(30));

  public DockerCli {
    if (cli == null || cli.isBlank()) {
      throw new IllegalArgumentException("cli: '" + cli + "' (expected: the docker executable, a path or a name on PATH)");
    }
    if (commandTimeout.isNegative() || commandTimeout.isZero()) {
      throw new IllegalArgumentException("commandTimeout: " + commandTimeout + " (expected: > 0)");
    }
  }

  /** The same CLI and daemon, with another bound on each command (a pull takes longer). */
  DockerCli withTimeout(Duration timeout) {
    return new DockerCli(cli, host, timeout);
  }

  /** The output of a finished command. */
  record Result(int exit, String stdout, String stderr) {
    /** The first non-blank line of stderr (or stdout), escaped, for a reason. */
    String firstLine() {
      String text = stderr.isBlank() ? stdout : stderr;
      return text.lines().filter(l -> !l.isBlank()).findFirst().map(l -> ReasonText.quote(l.strip(), 240))
          .orElse("exit status " + exit + ", no output");
    }
  }

  /**
   * The executable to run.
   *
   * @throws IOException saying the CLI is missing and what to do
   */
  String executable() throws IOException {
    if (cli.contains("/")) {
      if (Files.isExecutable(Path.of(cli))) {
        return cli;
      }
    } else {
      String path = Optional.ofNullable(System.getenv("PATH")).orElse(ExecutorEnvironment.DEFAULT_PATH);
      for (String dir : path.split(File.pathSeparator)) {
        if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, cli))) {
          return Path.of(dir, cli).toString();
        }
      }
    }
    throw new IOException("the docker CLI ('" + ReasonText.quote(cli) + "') is not installed on this agent, so it"
        + " cannot run a container image: install Docker (Debian: apt-get install docker.io) and start dockerd,"
        + " or run executors without ferry.mesos.executor.docker.image");
  }

  /**
   * The environment the CLI itself runs with: the agent's {@code PATH} and {@code HOME} (where the
   * CLI keeps its config) and the daemon's address; nothing else of the agent.
   */
  Map<String, String> cliEnvironment() {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    env.put("PATH", Optional.ofNullable(System.getenv("PATH")).orElse(ExecutorEnvironment.DEFAULT_PATH));
    env.put("HOME", Optional.ofNullable(System.getenv("HOME")).orElse(System.getProperty("java.io.tmpdir")));
    for (String name : List.of("DOCKER_HOST", "DOCKER_CONFIG", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY",
        "DOCKER_CERT_PATH", "DOCKER_API_VERSION")) {
      Optional.ofNullable(System.getenv(name)).ifPresent(v -> env.put(name, v));
    }
    host.ifPresent(h -> env.put("DOCKER_HOST", h));
    return env;
  }

  /** Where the daemon is, for a reason: the configured host, else {@code DOCKER_HOST}, else the default socket. */
  String daemonName() {
    return host.or(() -> Optional.ofNullable(System.getenv("DOCKER_HOST"))).orElse("unix:///var/run/docker.sock");
  }

  /**
   * Checks that a daemon answers ({@code docker version}).
   *
   * @throws IOException saying no daemon answers, where it was looked for, and what to do
   */
  void requireDaemon() throws IOException {
    executable(); // no CLI is its own reason, not the daemon's
    Result version;
    try {
      version = run(List.of("version", "--format", "{{.Server.Version}}"));
    } catch (IOException e) {
      throw noDaemon(e.getMessage());
    }
    if (version.exit() != 0 || version.stdout().isBlank()) {
      throw noDaemon(version.firstLine());
    }
  }

  private IOException noDaemon(String what) {
    return new IOException("no Docker daemon answers at " + ReasonText.quote(daemonName()) + " (docker version: "
        + what + "), so this agent cannot run a container image: start dockerd, or point the agent at a running"
        + " daemon with DOCKER_HOST");
  }

  /** Runs {@code docker args...} to its end, within {@link #commandTimeout}. */
  Result run(List<String> args) throws IOException {
    List<String> argv = new ArrayList<>(args.size() + 1);
    argv.add(executable());
    argv.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().clear();
    pb.environment().putAll(cliEnvironment());
    Path out = Files.createTempFile("ferry-docker-", ".out");
    Path err = Files.createTempFile("ferry-docker-", ".err");
    try {
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      try {
        if (!p.waitFor(commandTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          throw new IOException("docker " + args.get(0) + " did not finish within " + commandTimeout.toSeconds()
              + " s (daemon " + ReasonText.quote(daemonName()) + ")");
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while running docker " + args.get(0), e);
      }
      return new Result(p.exitValue(), read(out), read(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /**
   * Starts {@code docker rm -f name} without waiting for it (destroy runs on the agent's thread);
   * the future completes when it has ended, whatever its outcome.
   */
  CompletableFuture<Void> removeAsync(String containerName) {
    try {
      ProcessBuilder pb = new ProcessBuilder(executable(), "rm", "-f", containerName)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
      pb.environment().clear();
      pb.environment().putAll(cliEnvironment());
      Process rm = pb.start();
      // Bounded: a daemon that stopped answering must not keep a destroy pending forever.
      return rm.onExit().orTimeout(commandTimeout.toMillis(), TimeUnit.MILLISECONDS)
          .<Void>handle((p, e) -> {
            rm.destroyForcibly();
            return null;
          });
    } catch (IOException gone) {
      // No CLI any more: nothing could have started the container either.
      return CompletableFuture.completedFuture(null);
    }
  }

  private static String read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    return new String(bytes, 0, Math.min(bytes.length, 64 * 1024), StandardCharsets.UTF_8);
  }
}
