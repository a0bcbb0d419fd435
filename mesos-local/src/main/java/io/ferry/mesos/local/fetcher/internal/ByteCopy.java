package io.ferry.mesos.local.fetcher.internal;

import io.ferry.mesos.local.fetcher.FetchException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongConsumer;

/**
 * Copies a source stream into a local file, keeping read failures (the source's fault, a
 * {@link FetchException}) apart from write failures (local, a plain {@link IOException}). Each
 * chunk is charged to the fetch's {@link FetchBudget} before it is written, so the copy stops
 * before the fetch limit is crossed.
 */
final class ByteCopy {

  private static final int BUFFER = 64 * 1024;

  /** How a failed read is described: it may be reinterpreted (a stall shows up as a read error). */
  interface ReadFailure {
    FetchException describe(IOException e);
  }

  private ByteCopy() {}

  /**
   * Copies all of {@code in} to {@code target}; {@code progress} sees each chunk's size.
   *
   * @param what what the bytes are, for the reason when they go over the limit
   */
  static long copy(InputStream in, Path target, FetchBudget budget, String what,
      LongConsumer progress, ReadFailure onRead) throws FetchException, IOException {
    long total = 0;
    try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      byte[] buf = new byte[BUFFER];
      while (true) {
        int n;
        try {
          n = in.read(buf);
        } catch (IOException e) {
          throw onRead.describe(e);
        }
        if (n < 0) {
          return total;
        }
        budget.charge(n, what);
        out.write(buf, 0, n);
        total += n;
        progress.accept(n);
      }
    }
  }
}
