package io.ferry.mesos.local.agent;

import io.ferry.mesos.local.executor.CommandExecutor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The built-in command executor's command line. Run as the agent's user it uses the agent's own
 * class path. Run as a task's user (the agent switches users) it cannot: the agent's class path
 * may live where that user cannot read (a root-only {@code ~/.m2}). So, as Mesos keeps
 * {@code mesos-executor} in a launcher directory every user can read, the few class path entries
 * the command executor needs are copied once, at the first such launch, to
 * {@code <work_dir>/libexec/command-executor} (directories {@code 0755}, files {@code 0644}).
 */
final class CommandExecutorStage {

  /**
   * Classes whose class path entries the command executor needs: itself (mesos-local), the wire
   * layer (mesos-api) and what that loads (protobuf, its JSON support, gson, guava). An anchor
   * that is not on the class path is skipped; a shaded jar counts once.
   */
  private static final List<String> ANCHORS = List.of(
      CommandExecutor.class.getName(),
      "io.ferry.mesos.ContentType",
      "com.google.protobuf.Message",
      "com.google.protobuf.util.JsonFormat",
      "com.google.gson.JsonParser",
      "com.google.common.base.Preconditions");

  private final Path dir;
  private String stagedClassPath;

  /** @param dir where the copy goes: the agent's {@code <work_dir>/libexec/command-executor} */
  CommandExecutorStage(Path dir) {
    this.dir = dir;
  }

  /** The command line that starts the command executor with {@code classPath}. */
  static String command(String classPath) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return "exec '" + java + "' -Xmx64m -XX:+UseSerialGC -cp '" + classPath + "' "
        + CommandExecutor.class.getName();
  }

  /** The command line for a switched user: the staged copy, made on first use. */
  synchronized String stagedCommand() throws IOException {
    if (stagedClassPath == null) {
      stagedClassPath = stage();
    }
    return command(stagedClassPath);
  }

  private String stage() throws IOException {
    Set<Path> sources = new LinkedHashSet<>();
    for (String anchor : ANCHORS) {
      location(anchor).ifPresent(sources::add);
    }
    // A fresh copy per agent start: an older one may be of another build.
    Path temp = Files.createTempDirectory(Files.createDirectories(dir.getParent()),
        ".command-executor-");
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> entries = new ArrayList<>();
    int i = 0;
    for (Path source : sources) {
      String name = (i++) + "-" + source.getFileName();
      copy(source, temp.resolve(name));
      entries.add(dir.resolve(name).toString());
    }
    deleteTree(dir);
    Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
    return String.join(":", entries);
  }

  private static java.util.Optional<Path> location(String className) throws IOException {
    try {
      Class<?> c = Class.forName(className, false, CommandExecutorStage.class.getClassLoader());
      CodeSource source = c.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(Path.of(source.getLocation().toURI()));
    } catch (ClassNotFoundException e) {
      return java.util.Optional.empty();
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IOException("cannot locate the class path entry of " + className + ": " + e);
    }
  }

  private static void copy(Path source, Path target) throws IOException {
    if (!Files.isDirectory(source)) {
      Files.copy(source, target);
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
      return;
    }
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path to = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
          Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
        } else if (Files.isRegularFile(p)) {
          Files.copy(p, to);
          Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      List<Path> all = walk.sorted(java.util.Comparator.reverseOrder()).toList();
      for (Path p : all) {
        Files.delete(p);
      }
    }
  }
}
