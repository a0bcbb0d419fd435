package io.ferry.mesos.local.fetcher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Small archives that unpack to much more: zeros compress about 1000 to 1. */
public final class Bombs {

  public static final int MiB = 1024 * 1024;

  private Bombs() {}

  /** A {@code .gz} of {@code size} zero bytes. */
  public static Path gz(Path path, long size) throws IOException {
    try (OutputStream out = gzip(path)) {
      zeros(out, size);
    }
    return path;
  }

  /** A {@code .tgz} with a small {@code first.txt}, then {@code entry} of {@code size} zeros. */
  public static Path tgz(Path path, String entry, long size) throws IOException {
    try (OutputStream out = gzip(path);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      TarArchiveEntry first = new TarArchiveEntry("first.txt");
      first.setSize(5);
      tar.putArchiveEntry(first);
      tar.write("first".getBytes());
      tar.closeArchiveEntry();
      TarArchiveEntry big = new TarArchiveEntry(entry);
      big.setSize(size);
      tar.putArchiveEntry(big);
      zeros(tar, size);
      tar.closeArchiveEntry();
    }
    return path;
  }

  private static OutputStream gzip(Path path) throws IOException {
    return new GZIPOutputStream(Files.newOutputStream(path), 64 * 1024);
  }

  static void zeros(OutputStream out, long size) throws IOException {
    byte[] buf = new byte[64 * 1024];
    for (long left = size; left > 0; left -= buf.length) {
      out.write(buf, 0, (int) Math.min(buf.length, left));
    }
  }
}
