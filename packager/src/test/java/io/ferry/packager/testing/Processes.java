package io.ferry.packager.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion with a deadline; the process is destroyed whatever happens. */
public final class Processes {

  /** Exit code and combined output. */
  public record Result(int exitCode, String output) {}

  private Processes() {}

  public static Result run(Path dir, long timeoutSeconds, String... command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(List.of(command)).redirectErrorStream(true);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    Process p = pb.start();
    try {
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        throw new AssertionError("timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }
}
