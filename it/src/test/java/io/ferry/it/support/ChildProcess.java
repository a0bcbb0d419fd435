package io.ferry.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A launcher from {@code dist/bin} run as a real child process, its output (stdout and stderr
 * together) in a file. {@link #close()} kills it and everything it started, whatever happened.
 */
public final class ChildProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final String command;

  private ChildProcess(Process process, Path log, String command) {
    this.process = process;
    this.log = log;
    this.command = command;
  }

  public static ChildProcess start(Path log, Map<String, String> env, List<String> command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    return new ChildProcess(p, log, String.join(" ", command));
  }

  /** Runs to completion within {@code timeout}; the result's output is everything it printed. */
  public static Result run(Path log, Map<String, String> env, Duration timeout, List<String> command)
      throws IOException, InterruptedException {
    try (ChildProcess child = start(log, env, command)) {
      if (!child.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s: " + child.command + "\n"
            + child.output());
      }
      return new Result(child.process.exitValue(), child.output());
    }
  }

  /** Exit code and output. */
  public record Result(int exitCode, String output) {}

  public long pid() {
    return process.pid();
  }

  public Process process() {
    return process;
  }

  public String output() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /** Waits until a line of output matches {@code pattern}; fails with the output if it exits or times out first. */
  public Matcher awaitLine(Pattern pattern, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String out = output();
      for (String line : out.split("\n")) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m;
        }
      }
      if (!process.isAlive()) {
        throw new AssertionError(command + " exited with " + process.exitValue() + " before printing /" + pattern
            + "/:\n" + out);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no line /" + pattern + "/ within " + timeout.toSeconds() + " s from " + command
            + ":\n" + out);
      }
      process.waitFor(50, TimeUnit.MILLISECONDS);
    }
  }

  public Optional<Integer> exitCode() {
    return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
  }

  /** SIGKILL, as {@code kill -9}: the process gets no chance to clean up. Its children are left alone. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
