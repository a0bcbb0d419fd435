package io.ferry.mesos.local.files;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Opens what {@link SandboxFiles#resolve} found without following any symlink on the way: from an
 * open descriptor of the attached root, one {@code openat(..., O_NOFOLLOW)} per path component
 * (Java's {@link SecureDirectoryStream}). The resolved path is already canonical, so it contains no
 * symlink; if the task swaps a component for a symlink between resolving and opening (its sandbox
 * is writable by it), the open fails instead of leaving the sandbox. Mesos opens the canonical path
 * by name, which such a swap could redirect.
 */
final class ConfinedFiles {

  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

  private ConfinedFiles() {}

  /**
   * The directory {@code relative} (symlink-free, possibly empty) under {@code root} (a real path,
   * not {@code /}). The root itself is opened without following a link either: its parent belongs
   * to the agent, the sandbox to the task's user.
   */
  static SecureDirectoryStream<Path> directory(Path root, Path relative) throws IOException {
    DirectoryStream<Path> opened = Files.newDirectoryStream(root.getParent());
    if (!(opened instanceof SecureDirectoryStream<Path> dir)) {
      opened.close();
      throw new IOException("this platform cannot open files relative to a directory descriptor;"
          + " sandbox files are not served");
    }
    List<Path> names = new ArrayList<>();
    names.add(root.getFileName());
    if (!relative.toString().isEmpty()) {
      relative.forEach(names::add);
    }
    for (Path name : names) {
      SecureDirectoryStream<Path> next;
      try {
        next = dir.newDirectoryStream(name, NOFOLLOW);
      } finally {
        dir.close();
      }
      dir = next;
    }
    return dir;
  }

  /** The attributes of {@code name} in {@code dir}, of the entry itself (a symlink is not followed). */
  static PosixFileAttributes attributes(SecureDirectoryStream<Path> dir, Path name) throws IOException {
    return dir.getFileAttributeView(name, PosixFileAttributeView.class, NOFOLLOW).readAttributes();
  }

  /** The attributes of {@code relative} (symlink-free, not empty) under {@code root}, no link followed. */
  static PosixFileAttributes attributes(Path root, Path relative) throws IOException {
    try (SecureDirectoryStream<Path> parent = directory(root, parentOf(relative))) {
      return attributes(parent, relative.getFileName());
    }
  }

  /** Opens the regular file {@code name} in {@code dir} for reading, refusing a symlink. */
  static SeekableByteChannel open(SecureDirectoryStream<Path> dir, Path name) throws IOException {
    return dir.newByteChannel(name, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
  }

  /** The parent of {@code relative}, the empty path for a single name. */
  static Path parentOf(Path relative) {
    Path parent = relative.getParent();
    return parent == null ? Path.of("") : parent;
  }
}
