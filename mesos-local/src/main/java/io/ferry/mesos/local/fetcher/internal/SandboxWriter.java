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
 *   <li>devices, FIFOs and other special files (the caller refuses those by type);
 *   <li>names the file system cannot hold (over {@value #PATH_MAX} bytes, a segment over
 *       {@value #NAME_MAX} bytes), refused before anything is created, with a short reason.
 * </ul>
 *
 * <p>File contents are charged to the fetch's {@link FetchBudget} chunk by chunk before they are
 * written; an entry that goes over the limit, or whose data ends early, is removed, so no partial
 * file is left behind.
 *
 * <p>Permissions come from the archive less group and other write (the usual umask 022, which is
 * what an extracting tool leaves), so {@code bin/*} stays executable. Directory permissions and
 * times are applied last, deepest first, so a read-only directory does not block its own entries.
 */
final class SandboxWriter {

  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
  private static final int UMASK = 0022;
  /** Linux's PATH_MAX: the longest path, in bytes, a system call takes (with its NUL). */
  static final int PATH_MAX = 4096;
  /** Linux's NAME_MAX: the longest name of one directory entry, in bytes. */
  static final int NAME_MAX = 255;

  private record DirectoryAttributes(Path path, int mode, FileTime modified) {}

  private final Path root;
  private final int rootBytes;
  private final String archive;
  private final FetchBudget budget;
  /** Names of regular files this archive wrote and that are still there: hard-link targets. */
  private final Set<String> written = new HashSet<>();
  private final List<DirectoryAttributes> directories = new ArrayList<>();

  /**
   * @param root the sandbox, resolved to its real path
   * @param archive the archive's name, for messages
   * @param budget what the fetch may still write
   */
  SandboxWriter(Path root, String archive, FetchBudget budget) {
    this.root = root;
    this.rootBytes = ReasonText.utf8Bytes(root.toString());
    this.archive = archive;
    this.budget = budget;
  }

  void directory(String rawName, int mode, FileTime modified) throws FetchException, IOException {
    String name = name(rawName);
    if (name.isEmpty()) {
      return;
    }
    Path path = parentsOf(rawName, name);
    if (Files.isSymbolicLink(path)) {
      throw refuse(rawName, "would be written through the symlink '" + ReasonText.quote(name)
          + "'");
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
    String what = "extracting entry '" + ReasonText.quote(rawName) + "' of archive "
        + ReasonText.quote(archive);
    boolean complete = false;
    // CREATE_NEW never follows a symlink: one created in the meantime makes this fail instead.
    try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      byte[] buf = new byte[64 * 1024];
      while (true) {
        int n;
        try {
          n = content.read(buf);
        } catch (IOException e) {
          throw ArchiveDamage.of(archive, " in entry '" + ReasonText.quote(rawName) + "'", e);
        }
        if (n < 0) {
          break;
        }
        budget.charge(n, what);
        out.write(buf, 0, n);
      }
      complete = true;
    } finally {
      if (!complete) {
        // Over the limit or cut off: a partial file is worse than none.
        Files.deleteIfExists(path);
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
      throw refuse(rawName, "is a hard link to '" + ReasonText.quote(rawTarget)
          + "', outside the sandbox");
    }
    String target = normalize(rawTarget);
    Path existing = root.resolve(target);
    if (!written.contains(target) || !Files.isRegularFile(existing, NOFOLLOW)) {
      throw refuse(rawName, "is a hard link to '" + ReasonText.quote(rawTarget)
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
    return new FetchException(null, "archive " + ReasonText.quote(archive) + ": entry '"
        + ReasonText.quote(rawName) + "' " + why);
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
    String name = normalize(rawName);
    checkLength(rawName, name);
    return name;
  }

  /** Names the file system would refuse, refused here with a reason that says so. */
  private void checkLength(String rawName, String name) throws FetchException {
    int bytes = ReasonText.utf8Bytes(rawName);
    if (bytes > PATH_MAX) {
      throw refuse(rawName, "has a name too long (" + bytes + " bytes, limit " + PATH_MAX
          + " bytes)");
    }
    for (String segment : name.split("/")) {
      int segmentBytes = ReasonText.utf8Bytes(segment);
      if (segmentBytes > NAME_MAX) {
        throw refuse(rawName, "has a path segment too long (" + segmentBytes + " bytes, limit "
            + NAME_MAX + " bytes)");
      }
    }
    int inSandbox = rootBytes + 1 + ReasonText.utf8Bytes(name);
    if (inSandbox >= PATH_MAX) {
      throw refuse(rawName, "would have a path too long in the sandbox (" + inSandbox
          + " bytes, limit " + (PATH_MAX - 1) + " bytes)");
    }
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
      throw refuse(rawName, "would replace the directory '" + ReasonText.quote(name) + "'");
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
        throw refuse(rawName, "would be written through the symlink '"
            + ReasonText.quote(sofar.toString()) + "'");
      }
      if (!Files.exists(dir, NOFOLLOW)) {
        Files.createDirectory(dir);
      } else if (!Files.isDirectory(dir, NOFOLLOW)) {
        throw refuse(rawName, "needs '" + ReasonText.quote(sofar.toString())
            + "' to be a directory, but it is a file");
      }
    }
    return dir.resolve(segments[segments.length - 1]);
  }

  private void checkLinkTarget(String rawName, String name, String target) throws FetchException {
    String shown = "is a symlink to '" + ReasonText.quote(target) + "'";
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
}
