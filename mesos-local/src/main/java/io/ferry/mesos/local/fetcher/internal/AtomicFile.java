package io.ferry.mesos.local.fetcher.internal;

import io.ferry.mesos.local.fetcher.FetchException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file under a hidden temporary name beside its final one and renames it into place, so
 * a failed or interrupted download never leaves a partial file under the name a task looks for.
 * The rename replaces whatever is at the final name, a symlink included, without following it.
 */
public final class AtomicFile {

  /** Fills the temporary file. */
  @FunctionalInterface
  public interface Writer {
    void write(Path temp) throws FetchException, IOException;
  }

  private AtomicFile() {}

  /**
   * Writes {@code target} with {@code writer}; the result has mode 0644, as a download made under
   * the usual umask has.
   */
  public static void write(Path target, Writer writer) throws FetchException, IOException {
    Path dir = target.getParent();
    String name = target.getFileName().toString();
    // Short enough that the temporary name fits where the final one (up to 255 bytes) does.
    String stem = name.length() > 40 ? name.substring(0, 40) : name;
    Path temp = Files.createTempFile(dir, "." + stem + ".", ".fetching");
    boolean moved = false;
    try {
      writer.write(temp);
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        // Same directory, so this only happens on exotic file systems.
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } finally {
      if (!moved) {
        deleteQuietly(temp);
      }
    }
  }

  private static void deleteQuietly(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException ignored) {
      // The failure being thrown matters more; a hidden temporary name shadows nothing.
    }
  }
}
