package io.ferry.mesos.local.fetcher;

import io.ferry.mesos.MesosIds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

/**
 * Where an agent puts a container's sandbox, as Mesos does:
 * {@code <work_dir>/slaves/<agentId>/frameworks/<frameworkId>/executors/<executorId>/runs/<containerId>},
 * with {@code runs/latest} a symlink to the newest run. {@link #create} makes the directory and
 * empty {@code stdout} and {@code stderr} files (mode 0644) before the fetch, which writes its
 * log to {@code stderr} first; the executor's output is appended after it.
 *
 * <p>IDs are checked as Mesos checks them, since each becomes a directory name: 1 to 255 bytes,
 * not {@code .} or {@code ..}, no control characters, {@code /} or {@code \}.
 *
 * <pre>{@code
 * SandboxLayout layout = new SandboxLayout(workDir);
 * Path sandbox = layout.create(agentId, frameworkId, executorId, containerId);
 * fetcher.fetch(command, sandbox, user, Files.newBufferedWriter(sandbox.resolve("stderr"), APPEND));
 * }</pre>
 */
public final class SandboxLayout {

  /** The {@code runs/} entry that points at the newest run. */
  public static final String LATEST = "latest";

  private static final int NAME_MAX = 255;

  private final Path workDir;

  /** @param workDir the agent's {@code --work_dir} */
  public SandboxLayout(Path workDir) {
    this.workDir = Objects.requireNonNull(workDir, "workDir").toAbsolutePath();
  }

  public Path workDir() {
    return workDir;
  }

  /** The executor's directory, holding {@code runs/}. */
  public Path executorDirectory(String agentId, String frameworkId, String executorId) {
    return workDir.resolve("slaves").resolve(id("agentId", agentId))
        .resolve("frameworks").resolve(id("frameworkId", frameworkId))
        .resolve("executors").resolve(id("executorId", executorId));
  }

  /** The sandbox of one run (container) of an executor; nothing is created. */
  public Path sandbox(String agentId, String frameworkId, String executorId,
      String containerId) {
    return executorDirectory(agentId, frameworkId, executorId).resolve("runs")
        .resolve(id("containerId", containerId));
  }

  /**
   * Creates the sandbox with empty {@code stdout} and {@code stderr} (truncated if they exist)
   * and points {@code runs/latest} at it.
   *
   * @return the sandbox directory
   */
  public Path create(String agentId, String frameworkId, String executorId, String containerId)
      throws IOException {
    Path sandbox = sandbox(agentId, frameworkId, executorId, containerId);
    Files.createDirectories(sandbox);
    for (String name : new String[] {"stdout", "stderr"}) {
      Path file = sandbox.resolve(name);
      Files.write(file, new byte[0], StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }
    Path latest = sandbox.getParent().resolve(LATEST);
    // Replaced, not updated in place: a symlink cannot be retargeted. Absolute, as Mesos makes it.
    Files.deleteIfExists(latest);
    Files.createSymbolicLink(latest, sandbox);
    return sandbox;
  }

  /**
   * Checks one ID as Mesos does before it becomes a directory name.
   *
   * @param kind what the ID is, for the message (e.g. {@code "executorId"})
   * @throws IllegalArgumentException naming the kind, the ID and the rule it breaks
   */
  public static String id(String kind, String id) {
    MesosIds.problem(id).ifPresent(problem -> {
      throw new IllegalArgumentException(kind + ": " + problem);
    });
    return id;
  }
}
