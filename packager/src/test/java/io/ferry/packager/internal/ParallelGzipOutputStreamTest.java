package io.ferry.packager.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
}
