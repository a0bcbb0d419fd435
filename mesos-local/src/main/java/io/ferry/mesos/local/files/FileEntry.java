package io.ferry.mesos.local.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One entry of a {@code /files/browse} listing, as Mesos's {@code model(const FileInfo&)}
 * ({@code src/common/http.cpp}) prints it: {@code gid}, {@code mode} ({@code drwxr-xr-x}),
 * {@code mtime} (whole seconds, printed as a double), {@code nlink}, {@code path} (the requested
 * path joined with the name), {@code size}, {@code uid}; user and group by name when they have one,
 * else by number (Mesos's {@code getpwuid}/{@code getgrgid}, which is what Java's owner lookup does).
 */
record FileEntry(String path, long nlink, long size, long mtimeSeconds, String mode, String uid, String gid) {

  private static final int S_IFMT = 0170000;

  /**
   * @param attributes the entry's own attributes (of the target for a symlink followed inside the
   *     sandbox)
   * @param statPath where {@code unix:nlink} and, for special files, the file type are read (no
   *     link followed); these carry no content
   */
  static FileEntry of(String path, PosixFileAttributes attributes, Path statPath) throws IOException {
    long nlink = ((Number) Files.getAttribute(statPath, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).longValue();
    char type;
    if (attributes.isRegularFile()) {
      type = '-';
    } else if (attributes.isDirectory()) {
      type = 'd';
    } else if (attributes.isSymbolicLink()) {
      type = 'l';
    } else {
      int mode = (Integer) Files.getAttribute(statPath, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      type = switch (mode & S_IFMT) {
        case 0020000 -> 'c';
        case 0060000 -> 'b';
        case 0010000 -> 'p';
        case 0140000 -> 's';
        default -> '-';
      };
    }
    return new FileEntry(path, nlink, attributes.size(), attributes.lastModifiedTime().to(TimeUnit.SECONDS),
        type + permissions(attributes.permissions()), attributes.owner().getName(), attributes.group().getName());
  }

  private static String permissions(Set<PosixFilePermission> p) {
    return new String(new char[] {
        p.contains(PosixFilePermission.OWNER_READ) ? 'r' : '-',
        p.contains(PosixFilePermission.OWNER_WRITE) ? 'w' : '-',
        p.contains(PosixFilePermission.OWNER_EXECUTE) ? 'x' : '-',
        p.contains(PosixFilePermission.GROUP_READ) ? 'r' : '-',
        p.contains(PosixFilePermission.GROUP_WRITE) ? 'w' : '-',
        p.contains(PosixFilePermission.GROUP_EXECUTE) ? 'x' : '-',
        p.contains(PosixFilePermission.OTHERS_READ) ? 'r' : '-',
        p.contains(PosixFilePermission.OTHERS_WRITE) ? 'w' : '-',
        p.contains(PosixFilePermission.OTHERS_EXECUTE) ? 'x' : '-'});
  }

  /** Keys in stout's order (sorted). */
  void writeTo(JsonBytes json) {
    json.beginObject()
        .key("gid").value(gid)
        .key("mode").value(mode)
        .key("mtime").secondsAsDouble(mtimeSeconds)
        .key("nlink").value(nlink)
        .key("path").value(path)
        .key("size").value(size)
        .key("uid").value(uid)
        .endObject();
  }
}
