package io.ferry.packager.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.packager.testing.ZipEntries;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ParallelGzipOutputStreamTest {

  private static final int BLOCK = 32 * 1024;

  /** Half text-like, half random: both the dictionary and stored-like paths get exercised. */
  private static byte[] sample(int size, long seed) {
    Random random = new Random(seed);
    byte[] data = new byte[size];
    String words = "mesos executor driver offer task agent framework ";
    for (int i = 0; i < size; i++) {
      data[i] = (i / 5000) % 2 == 0
          ? (byte) words.charAt((i * 7 + random.nextInt(3)) % words.length())
          : (byte) random.nextInt();
    }
    return data;
  }

  private static byte[] gzip(byte[] data, int threads, int writeChunk) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ParallelGzipOutputStream gz = new ParallelGzipOutputStream(out, 6, threads, BLOCK)) {
      for (int off = 0; off < data.length; off += writeChunk) {
        gz.write(data, off, Math.min(writeChunk, data.length - off));
      }
    }
    return out.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK, 5 * BLOCK + 17, 1_000_003})
  void roundTripsThroughGzipInputStream(int size) throws IOException {
    byte[] data = sample(size, size);
    byte[] gz = gzip(data, 2, 4093);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
  }

  @Test
  void outputIsTheSameForAnyThreadCountAndWritePattern() throws IOException {
    byte[] data = sample(700_001, 42);
    byte[] one = gzip(data, 1, 1 << 20);
    assertThat(gzip(data, 2, 1)).isEqualTo(one);
    assertThat(gzip(data, 3, 777)).isEqualTo(one);
    assertThat(gzip(data, 8, 65536)).isEqualTo(one);
  }

  @Test
  void headerHasNoTimestampAndSaysUnix() throws IOException {
    byte[] gz = gzip(sample(10, 1), 1, 10);
    assertThat(gz[3]).as("flags").isEqualTo((byte) 0);
    assertThat(new byte[] {gz[4], gz[5], gz[6], gz[7]}).as("mtime").containsOnly(0);
    assertThat(gz[9]).as("os").isEqualTo((byte) 3);
  }

  @Test
  void gnuGzipAcceptsTheStream(@TempDir Path dir) throws Exception {
    byte[] data = sample(400_000, 7);
    Path file = dir.resolve("x.gz");
    Files.write(file, gzip(data, 2, 10_000));
    Process p = new ProcessBuilder("gzip", "-t", file.toString()).redirectErrorStream(true).start();
    try {
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    } finally {
      p.destroyForcibly();
    }
  }

  /** {@code data} gzipped with the given absolute {@code start, end} pairs marked as stored. */
  private static byte[] gzipStoring(byte[] data, long[] ranges, int threads, int writeChunk) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ParallelGzipOutputStream gz = new ParallelGzipOutputStream(out, 6, threads, BLOCK)) {
      int next = 0;
      for (int off = 0; off < data.length; ) {
        while (next < ranges.length && ranges[next] < off + writeChunk) {
          gz.storeRange(ranges[next], ranges[next + 1]);
          next += 2;
        }
        int n = Math.min(writeChunk, data.length - off);
        gz.write(data, off, n);
        off += n;
      }
      while (next < ranges.length) {
        gz.storeRange(ranges[next], ranges[next + 1]);
        next += 2;
      }
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] gz) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  /** Ranges at the start, across block boundaries, adjacent, over 64 KiB (several stored blocks), at the end. */
  private static final long[] RANGES = {
    0, 100, 100, 5_000, 6_000, 6_001, BLOCK - 10, BLOCK + 10, 3 * BLOCK - 70_000, 3 * BLOCK + 70_000,
    400_000, 400_300, 600_000, 700_001
  };

  @Test
  void storedRangesRoundTripAndAreStored() throws Exception {
    byte[] data = sample(700_001, 5);
    byte[] plain = gzip(data, 2, 4093);
    byte[] stored = gzipStoring(data, RANGES, 2, 4093);
    assertThat(gunzip(stored)).isEqualTo(data);
    assertThat(stored).isNotEqualTo(plain);
    // Compressible (text-like) bytes in a range are in the stream verbatim; deflated, they are not.
    byte[] inRange = java.util.Arrays.copyOfRange(data, 400_000, 400_300);
    assertThat(ZipEntries.indexOf(stored, inRange)).isPositive();
    assertThat(ZipEntries.indexOf(plain, inRange)).isNegative();
  }

  @Test
  void storedRangesGiveTheSameBytesForAnyThreadCountAndWritePattern() throws Exception {
    byte[] data = sample(700_001, 6);
    byte[] one = gzipStoring(data, RANGES, 1, 1 << 20);
    assertThat(gzipStoring(data, RANGES, 2, 1)).isEqualTo(one);
    assertThat(gzipStoring(data, RANGES, 3, 777)).isEqualTo(one);
    assertThat(gzipStoring(data, RANGES, 8, 65536)).isEqualTo(one);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK, 200_000})
  void aStreamThatEndsInAStoredRangeIsComplete(int size) throws Exception {
    byte[] data = sample(size, size);
    for (long[] ranges : new long[][] {{0, size}, {size / 2, size}, {0, size / 2 + 1}}) {
      assertThat(gunzip(gzipStoring(data, ranges, 2, 1000))).isEqualTo(data);
    }
  }

  @Test
  void rangesOutOfOrderOrAlreadyWrittenAreDeflatedAsUsual() throws Exception {
    byte[] data = sample(300_000, 8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ParallelGzipOutputStream gz = new ParallelGzipOutputStream(out, 6, 2, BLOCK)) {
      gz.storeRange(1000, 2000);
      gz.storeRange(1500, 3000); // overlaps: ignored
      gz.storeRange(500, 700); // before the last: ignored
      gz.write(data, 0, 2 * BLOCK + 5);
      gz.storeRange(10, 20); // in a block already submitted: ignored
      gz.write(data, 2 * BLOCK + 5, data.length - (2 * BLOCK + 5));
    }
    assertThat(gunzip(out.toByteArray())).isEqualTo(data);
  }

  @Test
  void gnuGzipAcceptsAStreamWithStoredRanges(@TempDir Path dir) throws Exception {
    byte[] data = sample(700_001, 9);
    Path file = dir.resolve("s.gz");
    Files.write(file, gzipStoring(data, RANGES, 2, 10_000));
    Process p = new ProcessBuilder("gzip", "-dc", file.toString()).start();
    try {
      byte[] back = p.getInputStream().readAllBytes();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes())).isZero();
      assertThat(back).isEqualTo(data);
    } finally {
      p.destroyForcibly();
    }
  }
}
