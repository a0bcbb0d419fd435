package io.ferry.mesos.local.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import io.ferry.mesos.local.executor.CommandArgv;
import org.apache.mesos.v1.Protos.CommandInfo;

/**
 * One executor (or command task) as a real child process, started as Mesos's containerizer starts
 * it: in the sandbox, with exactly the given environment (nothing inherited), stdout and stderr
 * appended to the sandbox's {@code stdout} and {@code stderr} files (the fetcher wrote there
 * first). The argv is {@link CommandArgv}'s; when the agent switches users, it is prefixed with
 * {@link io.ferry.mesos.local.user.UserSwitch}'s {@code setpriv}, which becomes the task's user
 * and execs it in place (same pid). Either way it runs as the leader of a new session, as Mesos's
 * POSIX launcher runs it ({@link ContainerSession}).
 *
 * <p>{@link #exit()} completes with the raw wait status Mesos reports in FAILURE: {@code code << 8}
 * for an exit, the signal number for a kill. Java reports a killed process as {@code 128 + signal},
 * the same value a shell exits with when its child was killed, so 129 to 192 are read as signals
 * (a process that really exits with such a code is reported as killed).
 */
public final class ExecutorProcess {

  private final Process process;
  private final CompletableFuture<Integer> exit;

  private ExecutorProcess(Process process) {
    this.process = process;
    this.exit = process.onExit().thenApply(p -> waitStatus(p.exitValue()));
  }

  public static ExecutorProcess start(CommandInfo command, Path sandbox, Map<String, String> environment)
      throws IOException {
    return start(CommandArgv.of(command), sandbox, environment);
  }

  /**
   * Starts {@code argv} in the sandbox as a process that opens the sandbox's {@code stdout} and
   * {@code stderr} itself (a switched user's: see {@code ContainerLauncher}); what it writes before
   * that is discarded.
   */
  public static ExecutorProcess startRedirectingItself(List<String> argv, Path sandbox,
      Map<String, String> environment) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(ContainerSession.leading(argv)).directory(sandbox.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().clear();
    pb.environment().putAll(environment);
    return new ExecutorProcess(pb.start());
  }

  /** Starts {@code argv} as given, its output appended to the sandbox's files by the agent. */
  public static ExecutorProcess start(List<String> argv, Path sandbox, Map<String, String> environment)
      throws IOException {
    Path stdout = sandbox.resolve("stdout");
    Path stderr = sandbox.resolve("stderr");
    if (!Files.exists(stdout)) {
      Files.createFile(stdout);
    }
    if (!Files.exists(stderr)) {
      Files.createFile(stderr);
    }
    ProcessBuilder pb = new ProcessBuilder(ContainerSession.leading(argv)).directory(sandbox.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
    pb.environment().clear();
    pb.environment().putAll(environment);
    return new ExecutorProcess(pb.start());
  }

  public long pid() {
    return process.pid();
  }

  /** Completes with the raw wait status once the process has exited. */
  public CompletableFuture<Integer> exit() {
    return exit;
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** SIGTERM to the process and everything it started. */
  public void terminate() {
    // The tree is listed first: once the root dies, its children are reparented and lost to us.
    List<ProcessHandle> tree = process.descendants().toList();
    process.destroy();
    tree.forEach(ProcessHandle::destroy);
  }

  /**
   * Destroys the container: SIGKILL to the process, everything it started, and every process of
   * its session (also those left behind by a parent that exited).
   */
  public void destroy() {
    List<ProcessHandle> tree = process.descendants().toList();
    process.destroyForcibly();
    tree.forEach(ProcessHandle::destroyForcibly);
    if (ContainerSession.SETSID.isPresent()) {
      ContainerSession.killSession(process.pid());
    }
  }

  private static int waitStatus(int exitValue) {
    if (exitValue > 128 && exitValue <= 128 + 64) {
      return exitValue - 128;
    }
    return (exitValue & 0xff) << 8;
  }
}
