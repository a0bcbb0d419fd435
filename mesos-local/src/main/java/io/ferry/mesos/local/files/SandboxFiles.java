package io.ferry.mesos.local.files;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an agent's {@code /files/*} endpoints may reach: directories attached under virtual paths,
 * as Mesos's {@code FilesProcess} keeps them ({@code src/files/files.cpp}). An agent attaches each
 * executor run's sandbox when it creates it, under the sandbox's path, its {@code runs/latest}
 * path and the virtual {@code /frameworks/<fid>/executors/<eid>/runs/latest}, and detaches them
 * when it stops (it never garbage-collects sandboxes before that, so completed executors' sandboxes
 * stay readable, as they do in Mesos until {@code --gc_delay}).
 *
 * <p>{@link #resolve} maps a requested path onto the real file it names, confined to the attached
 * directory: the longest attached prefix wins, the rest is joined to the directory's real path and
 * canonicalized (symlinks followed, {@code ..} applied), and the result must lie inside that real
 * path, component by component (Mesos compares strings, so {@code /sandbox-2} would pass as inside
 * {@code /sandbox}; here it does not). Thread-safe: attached on launch threads, resolved on the
 * files pool.
 */
public final class SandboxFiles {

  private static final Logger LOG = LoggerFactory.getLogger(SandboxFiles.class);

  /** Mesos's {@code paths::getExecutorVirtualPath}. */
  public static String virtualLatest(String frameworkId, String executorId) {
    return "/frameworks/" + frameworkId + "/executors/" + executorId + "/runs/latest";
  }

  /** What a requested path names. */
  public sealed interface Resolution permits Found, NotFound, Invalid {}

  /**
   * A file or directory inside an attached root.
   *
   * @param root the attached directory's real path
   * @param real the canonical path of what was asked for, inside {@code root}
   */
  public record Found(Path root, Path real) implements Resolution {
    /** {@code real} relative to {@code root}; the empty path for the root itself. */
    public Path relative() {
      return root.relativize(real);
    }
  }

  /** Nothing attached or on disk there: Mesos's 404. */
  public record NotFound() implements Resolution {}

  /** A path that escapes its root or cannot be resolved: Mesos's 400 with this text. */
  public record Invalid(String message) implements Resolution {}

  private final Map<String, Path> attached = new ConcurrentHashMap<>();
  /** Sandboxes of frameworks without checkpointing, by real path, with the paths they are attached under. */
  private final Map<Path, List<String>> uncheckpointed = new ConcurrentHashMap<>();

  /**
   * Attaches {@code directory} (which must exist) under {@code virtualPath}, replacing what was
   * attached there (as Mesos does: a new run takes over {@code runs/latest}).
   */
  public void attach(Path directory, String virtualPath) throws IOException {
    Path real = directory.toRealPath();
    if (!Files.isDirectory(real)) {
      throw new IOException("cannot attach '" + directory + "' as '" + virtualPath + "': not a directory");
    }
    attached.put(key(virtualPath), real);
  }

  /**
   * Attaches one executor run's sandbox under the three paths Mesos's agent attaches it under. A
   * failure is logged, not thrown: as in Mesos ({@code Slave::fileAttached}), the launch goes on.
   *
   * @param checkpoint the framework's {@code checkpoint}: only such sandboxes are attached again by
   *     an agent that restarts ({@link #detachUncheckpointed})
   */
  public void attachSandbox(String frameworkId, String executorId, Path sandbox, boolean checkpoint) {
    List<String> paths = List.of(sandbox.toString(), sandbox.resolveSibling("latest").toString(),
        virtualLatest(frameworkId, executorId));
    try {
      Path real = sandbox.toRealPath();
      for (String path : paths) {
        attach(sandbox, path);
      }
      if (!checkpoint) {
        uncheckpointed.put(real, paths);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("[framework={} executor={}] Failed to attach the sandbox '{}' to the files endpoints: {}",
          Printable.of(frameworkId), Printable.of(executorId), Printable.of(sandbox), Printable.of(e.toString()));
    }
  }

  /**
   * The agent restarted: a restarted Mesos agent attaches only the sandboxes of executors it
   * recovers, i.e. of frameworks with {@code checkpoint}; the others are no longer served (a
   * {@code runs/latest} that a newer run took over keeps pointing at that run).
   */
  public void detachUncheckpointed() {
    uncheckpointed.forEach((real, paths) -> paths.forEach(p -> attached.remove(key(p), real)));
    uncheckpointed.clear();
  }

  public void detach(String virtualPath) {
    attached.remove(key(virtualPath));
  }

  /** Everything goes (the agent stops). */
  public void detachAll() {
    attached.clear();
    uncheckpointed.clear();
  }

  /** The virtual path mapping, sorted, for {@code /files/debug}. */
  public Map<String, String> mapping() {
    Map<String, String> sorted = new TreeMap<>();
    attached.forEach((k, v) -> sorted.put(k, v.toString()));
    return sorted;
  }

  /**
   * Resolves a requested path ({@code file://} prefix already removed), never touching anything
   * outside an attached directory's real path.
   */
  public Resolution resolve(String requested) {
    if (requested.indexOf('\0') >= 0) {
      return new Invalid("Path contains a NUL byte");
    }
    List<String> segments = segments(requested);
    boolean absolute = requested.startsWith("/");
    for (int i = segments.size(); i >= 0; i--) {
      Path root = attached.get(join(absolute, segments.subList(0, i)));
      if (root != null) {
        return within(root, segments.subList(i, segments.size()));
      }
    }
    return new NotFound();
  }

  private static Resolution within(Path root, List<String> suffix) {
    if (suffix.isEmpty()) {
      return Files.isDirectory(root) ? new Found(root, root) : new NotFound();
    }
    // Checked before the file system is asked, so that '..' cannot probe what exists outside.
    int depth = 0;
    for (String s : suffix) {
      depth += s.equals("..") ? -1 : 1;
      if (depth < 0) {
        return new Invalid("'" + root + "/" + String.join("/", suffix) + "' is inaccessible");
      }
    }
    Path candidate;
    try {
      candidate = root.resolve(String.join("/", suffix));
    } catch (InvalidPathException e) {
      return new Invalid("Invalid path: " + e.getReason());
    }
    Path real;
    try {
      real = candidate.toRealPath();
    } catch (NoSuchFileException e) {
      return new NotFound();
    } catch (FileSystemException e) {
      return new Invalid("Failed to determine canonical path of '" + candidate + "': "
          + Optional.ofNullable(e.getReason()).orElse(e.getClass().getSimpleName()));
    } catch (IOException e) {
      return new Invalid("Failed to determine canonical path of '" + candidate + "': " + e.getMessage());
    }
    if (!real.startsWith(root)) {
      return new Invalid("'" + candidate + "' is inaccessible");
    }
    return new Found(root, real);
  }

  /** Keys are stored as they are looked up: no empty or {@code .} segments, no trailing slash. */
  private static String key(String virtualPath) {
    return join(virtualPath.startsWith("/"), segments(virtualPath));
  }

  private static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty() && !s.equals(".")) {
        out.add(s);
      }
    }
    return out;
  }

  private static String join(boolean absolute, List<String> segments) {
    return (absolute ? "/" : "") + String.join("/", segments);
  }
}
