package io.ferry.executor.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started from the test class path with exactly the given environment (as an agent starts an
 * executor), its output in a file; {@link #close()} kills it if still running.
 */
public final class ChildProcess implements AutoCloseable {
  private final Process process;
  private final Path output;

  private ChildProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  public static ChildProcess java(Class<?> main, Map<String, String> env, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path output = dir.resolve("output-" + System.nanoTime() + ".log");
    List<String> argv = new ArrayList<>(List.of(javaBinary(), "-Xmx64m", "-XX:TieredStopAtLevel=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug", "-cp", System.getProperty("java.class.path"),
        main.getName()));
    ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(output.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    return new ChildProcess(pb.start(), output);
  }

  public static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Waits for the exit; fails naming the output when it does not come. */
  public int awaitExit(Duration timeout) throws Exception {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the process did not exit within " + timeout + "; output:\n" + output());
    }
    return process.exitValue();
  }

  public boolean alive() {
    return process.isAlive();
  }

  public String output() throws IOException {
    return Files.readString(output, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
