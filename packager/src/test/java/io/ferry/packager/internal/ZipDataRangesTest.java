package io.ferry.packager.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.packager.testing.ZipEntries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.Inflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ZipDataRangesTest {

  static byte[] text(int size) {
    StringBuilder s = new StringBuilder();
    while (s.length() < size) {
      s.append("io/ferry/packager/Class").append(s.length() % 97).append(".class ");
    }
    return s.substring(0, size).getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** A jar: three deflated entries (one tiny), one stored entry, a directory. */
  static byte[] jar() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      ZipEntries.put(zip, "META-INF/", new byte[0], ZipEntry.STORED);
      ZipEntries.put(zip, "a/Text.class", text(50_000), ZipEntry.DEFLATED);
      ZipEntries.put(zip, "a/Tiny.class", text(20), ZipEntry.DEFLATED);
      ZipEntries.put(zip, "b/stored.bin", random(10_000, 1), ZipEntry.STORED);
      ZipEntries.put(zip, "b/random.bin", random(200_000, 2), ZipEntry.DEFLATED);
    }
    return bytes.toByteArray();
  }

  private static byte[] inflate(byte[] b, long start, long end) throws Exception {
    Inflater inflater = new Inflater(true);
    inflater.setInput(b, (int) start, (int) (end - start));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    while (!inflater.finished()) {
      int n = inflater.inflate(buf);
      if (n == 0 && inflater.needsInput()) {
        break;
      }
      out.write(buf, 0, n);
    }
    assertThat(inflater.finished()).as("range [%d, %d) is one whole deflate stream", start, end).isTrue();
    assertThat(inflater.getRemaining()).isZero();
    inflater.end();
    return out.toByteArray();
  }

  @Test
  void findsExactlyTheDeflatedEntriesData() throws Exception {
    byte[] jar = jar();
    long[] r = ZipDataRanges.find(jar, jar.length, 1);
    assertThat(r).hasSize(6);
    assertThat(inflate(jar, r[0], r[1])).isEqualTo(text(50_000));
    assertThat(inflate(jar, r[2], r[3])).isEqualTo(text(20));
    assertThat(inflate(jar, r[4], r[5])).isEqualTo(random(200_000, 2));
  }

  @Test
  void aMappedFileGivesTheSameRangesAsItsBytes(@TempDir Path dir) throws Exception {
    byte[] jar = jar();
    Path file = dir.resolve("a.jar");
    Files.write(file, jar);
    try (FileChannel channel = FileChannel.open(file)) {
      MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, jar.length);
      assertThat(ZipDataRanges.find(mapped, 1)).isEqualTo(ZipDataRanges.find(jar, jar.length, 1));
      assertThat(mapped.position()).isZero();
      assertThat(mapped.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
      // Only the first limit bytes count: a cut jar has no end record there.
      assertThat(ZipDataRanges.find(mapped.limit(jar.length - 1), 1)).isEmpty();
    }
  }

  @Test
  void leavesOutEntriesBelowTheMinimum() throws Exception {
    byte[] jar = jar();
    long[] all = ZipDataRanges.find(jar, jar.length, 1);
    long[] big = ZipDataRanges.find(jar, jar.length, 256);
    assertThat(big).containsExactly(all[0], all[1], all[4], all[5]);
  }

  @Test
  void aTruncatedOrCorruptJarGivesNothing() throws Exception {
    byte[] jar = jar();
    assertThat(ZipDataRanges.find(jar, jar.length - 1, 1)).isEmpty();
    assertThat(ZipDataRanges.find(jar, jar.length / 2, 1)).isEmpty();
    byte[] corrupt = jar.clone();
    long[] r = ZipDataRanges.find(jar, jar.length, 1);
    // A central-directory entry that points its local header somewhere else.
    int cen = ZipEntries.indexOf(corrupt, new byte[] {'P', 'K', 1, 2});
    corrupt[cen + 42] ^= 0x55;
    assertThat(ZipDataRanges.find(corrupt, corrupt.length, 1)).isEmpty();
    // A compressed size that runs into the central directory.
    byte[] tooLong = jar.clone();
    int last = lastIndexOf(tooLong, new byte[] {'P', 'K', 1, 2});
    tooLong[last + 23] = 0x7F;
    assertThat(ZipDataRanges.find(tooLong, tooLong.length, 1)).isEmpty();
    assertThat(r).isNotEmpty();
  }

  @Test
  void notAZipEmptyOrPrefixedGivesNothing() throws Exception {
    byte[] noise = random(100_000, 3);
    assertThat(ZipDataRanges.find(noise, noise.length, 1)).isEmpty();
    assertThat(ZipDataRanges.find(new byte[0], 0, 1)).isEmpty();
    byte[] jar = jar();
    byte[] prefixed = new byte[jar.length + 100];
    System.arraycopy(jar, 0, prefixed, 100, jar.length);
    assertThat(ZipDataRanges.find(prefixed, prefixed.length, 1)).isEmpty();
    // An end record alone, with no entries.
    byte[] empty = Arrays.copyOf(new byte[] {'P', 'K', 5, 6}, 22);
    assertThat(ZipDataRanges.find(empty, empty.length, 1)).isEmpty();
  }

  @Test
  void zip64IsLeftToBeCompressed() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (int i = 0; i < 0x10000 + 10; i++) { // more entries than a plain end record counts
        ZipEntries.put(zip, "e" + i, text(300), ZipEntry.DEFLATED);
      }
    }
    byte[] zip64 = bytes.toByteArray();
    assertThat(ZipEntries.indexOf(zip64, new byte[] {'P', 'K', 6, 6})).as("a zip64 end record").isPositive();
    assertThat(ZipDataRanges.find(zip64, zip64.length, 1)).isEmpty();
  }

  static int lastIndexOf(byte[] b, byte[] what) {
    outer:
    for (int i = b.length - what.length; i >= 0; i--) {
      for (int k = 0; k < what.length; k++) {
        if (b[i + k] != what[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
