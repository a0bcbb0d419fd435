package io.ferry.packager.hadoop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a stream to a local file the way {@code hadoop fs -copyToLocal} does: into
 * {@code <target>._COPYING_} beside it, renamed over the target only once every byte arrived.
 * The Mesos fetcher unpacks whatever is at the target, and its cache keeps it, so a cut
 * connection must leave nothing there; the temporary file is removed on any failure.
 */
final class AtomicLocalWrite {

  static final String SUFFIX = "._COPYING_";

  private AtomicLocalWrite() {}

  /** The temporary name used for {@code target}. */
  static Path temporaryFor(Path target) {
    return target.resolveSibling(target.getFileName() + SUFFIX);
  }

  /**
   * Copies {@code in} to {@code target}.
   *
   * @param expectedSize the object's size; a different byte count fails the copy (the object
   *     changed while being read, or the stream ended early without an error)
   * @return the number of bytes written
   */
  static long write(InputStream in, long expectedSize, Path target) throws IOException {
    Path temp = temporaryFor(target);
    boolean done = false;
    try {
      long n;
      try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        n = in.transferTo(out);
      }
      if (n != expectedSize) {
        throw new IOException("read " + n + " bytes but the object has " + expectedSize
            + "; it changed or the connection was cut; run the copy again");
      }
      // Same directory, so rename(2): readers see the old file or the whole new one.
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      done = true;
      return n;
    } finally {
      if (!done) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // The copy's own failure is the one to report; a leftover ._COPYING_ is never read.
        }
      }
    }
  }
}
