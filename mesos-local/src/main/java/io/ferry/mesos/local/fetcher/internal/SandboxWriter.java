package io.ferry.mesos.local.fetcher.internal;

import io.ferry.mesos.local.fetcher.FetchException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes one archive's entries under the sandbox and refuses, naming the entry, anything that
 * would put a byte outside it:
 *
 * <ul>
 *   <li>absolute names and names with a {@code ..} segment;
 *   <li>writing through a symlink: every directory on an entry's path must be a real directory
 *       (checked on disk, so links from earlier archives count too); an existing symlink at the
 *       entry's own name is replaced, never followed;
 *   <li>symlinks that are absolute or that climb out of the sandbox from the link's directory, and
 *       symlinks with a {@code ..} after a name ({@code a/../..}), whose meaning depends on what
 *       {@code a} becomes later; leading {@code ..} segments climb real directories only, so the
 *       lexical check is exact for them;
 *   <li>hard links to anything but a regular file this archive has already written;
 *   <li>devices, FIFOs and other special files (the caller refuses those by type).
 * </ul>
 *
 * <p>Permissions come from the archive less group and other write (the usual umask 022, which is
 * what an extracting tool leaves), so {@code bin/*} stays executable. Directory permissions and
 * times are applied last, deepest first, so a read-only directory does not block its own entries.
 */
final class SandboxWriter {

  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
  private static final int UMASK = 0022;

  private record DirectoryAttributes(Path path, int mode, FileTime modified) {}

  private final Path root;
  private final String archive;
  /** Names of regular files this archive wrote and that are still there: hard-link targets. */
  private final Set<String> written = new HashSet<>();
  private final List<DirectoryAttributes> directories = new ArrayList<>();

  /**
   * @param root the sandbox, resolved to its real path
   * @param archive the archive's name, for messages
   */
  SandboxWriter(Path root, String archive) {
    this.root = root;
    this.archive = archive;
  }

  void directory(String rawName, int mode, FileTime modified) throws FetchException, IOException {
    String name = name(rawName);
    if (name.isEmpty()) {
      return;
    }
    Path path = parentsOf(rawName, name);
    if (Files.isSymbolicLink(path)) {
      throw refuse(rawName, "would be written through the symlink '" + name + "'");
    }
    if (Files.exists(path, NOFOLLOW) && !Files.isDirectory(path, NOFOLLOW)) {
      throw refuse(rawName, "is a directory, but a file is already there");
    }
    if (!Files.exists(path, NOFOLLOW)) {
      Files.createDirectory(path);
    }
    directories.add(new DirectoryAttributes(path, mode == 0 ? 0755 : mode, modified));
  }

  void file(String rawName, InputStream content, int mode, FileTime modified)
      throws FetchException, IOException {
    String name = name(rawName);
    Path path = replaceable(rawName, name);
    // CREATE_NEW never follows a symlink: one created in the meantime makes this fail instead.
    try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      byte[] buf = new byte[64 * 1024];
      while (true) {
        int n;
        try {
          n = content.read(buf);
        } catch (IOException e) {
          throw new FetchException(null, "archive " + archive + ": cannot read entry '"
              + printable(rawName) + "' (" + e.getMessage() + "); is the archive complete and valid?",
              e);
        }
        if (n < 0) {
          break;
        }
        out.write(buf, 0, n);
      }
    }
    Files.setPosixFilePermissions(path, permissions(mode == 0 ? 0644 : mode));
    setModified(path, modified);
    written.add(name);
  }

  void symlink(String rawName, String target) throws FetchException, IOException {
    String name = name(rawName);
    checkLinkTarget(rawName, name, target);
    Path path = replaceable(rawName, name);
    Files.createSymbolicLink(path, Path.of(target));
  }

  void hardLink(String rawName, String rawTarget) throws FetchException, IOException {
    String name = name(rawName);
    if (rawTarget.startsWith("/") || hasDotDot(rawTarget)) {
      throw refuse(rawName, "is a hard link to '" + rawTarget + "', outside the sandbox");
    }
    String target = normalize(rawTarget);
    Path existing = root.resolve(target);
    if (!written.contains(target) || !Files.isRegularFile(existing, NOFOLLOW)) {
      throw refuse(rawName, "is a hard link to '" + rawTarget
          + "', which is not a file this archive extracted before it");
    }
    if (target.equals(name)) {
      return;
    }
    Path path = replaceable(rawName, name);
    Files.createLink(path, existing);
    written.add(name);
  }

  /** Applies directory permissions and times, deepest first. */
  void finish() throws IOException {
    for (int i = directories.size() - 1; i >= 0; i--) {
      DirectoryAttributes d = directories.get(i);
      if (Files.isDirectory(d.path(), NOFOLLOW)) {
        Files.setPosixFilePermissions(d.path(), permissions(d.mode()));
        setModified(d.path(), d.modified());
      }
    }
  }

  FetchException refuse(String rawName, String why) {
    return new FetchException(null, "archive " + archive + ": entry '" + printable(rawName)
        + "' " + why);
  }

  /** The entry's name, clean and relative ({@code ""} for the root), or a refusal. */
  private String name(String rawName) throws FetchException {
    if (rawName.indexOf('\0') >= 0) {
      throw refuse(rawName, "has a NUL in its name");
    }
    if (rawName.startsWith("/")) {
      throw refuse(rawName, "is an absolute path; archives must hold relative names");
    }
    if (hasDotDot(rawName)) {
      throw refuse(rawName, "escapes the sandbox");
    }
    return normalize(rawName);
  }

  /**
   * The path for {@code name} with every parent a real directory (missing ones created), and
   * nothing but a file or symlink, which is removed, at the name itself.
   */
  private Path replaceable(String rawName, String name) throws FetchException, IOException {
    if (name.isEmpty()) {
      throw refuse(rawName, "has no name");
    }
    Path path = parentsOf(rawName, name);
    if (Files.isDirectory(path, NOFOLLOW)) {
      throw refuse(rawName, "would replace the directory '" + name + "'");
    }
    if (Files.deleteIfExists(path)) {
      written.remove(name);
    }
    return path;
  }

  /** Checks, and creates, the directories above {@code name}; returns the entry's own path. */
  private Path parentsOf(String rawName, String name) throws FetchException, IOException {
    String[] segments = name.split("/");
    Path dir = root;
    StringBuilder sofar = new StringBuilder();
    for (int i = 0; i < segments.length - 1; i++) {
      dir = dir.resolve(segments[i]);
      sofar.append(i == 0 ? "" : "/").append(segments[i]);
      if (Files.isSymbolicLink(dir)) {
        throw refuse(rawName, "would be written through the symlink '" + sofar + "'");
      }
      if (!Files.exists(dir, NOFOLLOW)) {
        Files.createDirectory(dir);
      } else if (!Files.isDirectory(dir, NOFOLLOW)) {
        throw refuse(rawName, "needs '" + sofar + "' to be a directory, but it is a file");
      }
    }
    return dir.resolve(segments[segments.length - 1]);
  }

  private void checkLinkTarget(String rawName, String name, String target) throws FetchException {
    String shown = "is a symlink to '" + printable(target) + "'";
    if (target.isEmpty() || target.indexOf('\0') >= 0) {
      throw refuse(rawName, shown + ", which names nothing");
    }
    if (target.startsWith("/")) {
      throw refuse(rawName, shown + ", an absolute path outside the sandbox");
    }
    // Depth of the link's directory below the sandbox root.
    int depth = name.split("/").length - 1;
    boolean sawName = false;
    for (String segment : target.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (!segment.equals("..")) {
        sawName = true;
      } else if (sawName) {
        throw refuse(rawName, shown + ": a '..' after a name could climb out through another"
            + " symlink");
      } else if (--depth < 0) {
        throw refuse(rawName, shown + ", outside the sandbox");
      }
    }
  }

  private static boolean hasDotDot(String name) {
    for (String segment : name.split("/")) {
      if (segment.equals("..")) {
        return true;
      }
    }
    return false;
  }

  /** Drops empty and {@code .} segments: {@code ./bin//x/} is {@code bin/x}. */
  private static String normalize(String name) {
    StringBuilder out = new StringBuilder();
    for (String segment : name.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      out.append(out.length() == 0 ? "" : "/").append(segment);
    }
    return out.toString();
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    int bits = mode & 0777 & ~UMASK;
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_READ};
    for (int i = 0; i < order.length; i++) {
      if ((bits & (1 << i)) != 0) {
        set.add(order[i]);
      }
    }
    return set;
  }

  private static void setModified(Path path, FileTime modified) throws IOException {
    if (modified != null) {
      Files.getFileAttributeView(path, BasicFileAttributeView.class, NOFOLLOW)
          .setTimes(modified, null, null);
    }
  }

  private static String printable(String text) {
    StringBuilder out = new StringBuilder();
    for (char c : text.toCharArray()) {
      out.append(Character.isISOControl(c) ? '?' : c);
    }
    return out.toString();
  }
}
