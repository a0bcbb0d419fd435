package io.ferry.packager;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.packager.testing.Processes;
import io.ferry.packager.testing.ZipEntries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive when jar entry data is stored rather than deflated again: whatever the jars hold
 * (deflated and stored entries, entries larger than a gzip block, a truncated or corrupt jar, a
 * file named .jar that is no zip, an empty one, a zip64 one), it unpacks byte for byte with GNU tar
 * and gzip and with Java's GZIPInputStream, and the same tree gives the same bytes.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ZipAwareTarballTest {

  private static final long EPOCH = 1_700_000_000L;

  @TempDir Path tmp;
  Path dist;

  private static byte[] text(int size, int seed) {
    StringBuilder s = new StringBuilder();
    Random r = new Random(seed);
    while (s.length() < size) {
      s.append("io/ferry/packager/Class").append(r.nextInt(500)).append(".class ");
    }
    return s.substring(0, size).getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** A jar of many small deflated classes, stored entries, and entries larger than a block. */
  private static byte[] jar(int seed) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      ZipEntries.put(zip, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n".getBytes(StandardCharsets.US_ASCII),
          ZipEntry.DEFLATED);
      for (int i = 0; i < 300; i++) {
        ZipEntries.put(zip, "io/ferry/C" + i + ".class", text(200 + 37 * i, seed + i), ZipEntry.DEFLATED);
      }
      ZipEntries.put(zip, "big/random.bin", random(700_000, seed), ZipEntry.DEFLATED); // > 64 KiB, across blocks
      ZipEntries.put(zip, "big/stored.bin", text(150_000, seed), ZipEntry.STORED);
      ZipEntries.put(zip, "big/text.txt", text(2_000_000, seed), ZipEntry.DEFLATED);
      ZipEntries.put(zip, "empty.txt", new byte[0], ZipEntry.DEFLATED);
    }
    return bytes.toByteArray();
  }

  private static byte[] zip64() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (int i = 0; i < 0x10000 + 5; i++) {
        ZipEntries.put(zip, "e" + i, text(40, i % 50), ZipEntry.DEFLATED);
      }
    }
    return bytes.toByteArray();
  }

  @BeforeEach
  void makeDist() throws IOException {
    dist = tmp.resolve("dist");
    Files.createDirectories(dist.resolve("bin"));
    Files.createDirectories(dist.resolve("lib"));
    Files.writeString(dist.resolve("bin/run"), "#!/bin/sh\n");
    byte[] a = jar(1);
    Files.write(dist.resolve("lib/a.jar"), a);
    Files.write(dist.resolve("lib/b.JAR"), jar(2));
    Files.write(dist.resolve("lib/c.zip"), jar(3));
    Files.write(dist.resolve("lib/truncated.jar"), Arrays.copyOf(a, a.length - 10));
    byte[] corrupt = a.clone();
    for (int i = corrupt.length - 2000; i < corrupt.length - 30; i += 7) {
      corrupt[i] ^= 0x5A; // the central directory
    }
    Files.write(dist.resolve("lib/corrupt.jar"), corrupt);
    Files.write(dist.resolve("lib/noise.jar"), random(300_000, 9));
    Files.writeString(dist.resolve("lib/text.jar"), "not a zip\n".repeat(10_000));
    Files.write(dist.resolve("lib/empty.jar"), new byte[0]);
    Files.write(dist.resolve("lib/zip64.jar"), zip64());
    // A jar whose bytes are a whole zip after a prefix (a self-extracting stub).
    byte[] prefixed = new byte[a.length + 333];
    System.arraycopy(text(333, 4), 0, prefixed, 0, 333);
    System.arraycopy(a, 0, prefixed, 333, a.length);
    Files.write(dist.resolve("lib/prefixed.jar"), prefixed);
    Files.writeString(dist.resolve("README"), "Ferry\n".repeat(5000));
  }

  private Path build(String dir, int threads, int storeMinimum) throws IOException {
    Path out = tmp.resolve(dir).resolve("ferry-z-bin.tgz");
    TarballBuilder.forDirectory(dist).mtime(Instant.ofEpochSecond(EPOCH)).threads(threads)
        .storeEntriesOf(storeMinimum).build(out);
    return out;
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> walk = Files.walk(dist)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }

  @Test
  void gnuTarAndGzipReadItByteForByte() throws Exception {
    Path tgz = build("a", 2, TarballBuilder.DEFAULT_STORE_MINIMUM);
    Processes.Result test = Processes.run(tmp, 60, "gzip", "-t", tgz.toString());
    assertThat(test.exitCode()).as(test.output()).isZero();
    Path x = Files.createDirectories(tmp.resolve("x"));
    Processes.Result r = Processes.run(x, 60, "tar", "-xzf", tgz.toString());
    assertThat(r.exitCode()).as(r.output()).isZero();
    for (Path f : files()) {
      Path back = x.resolve("ferry-z-bin").resolve(dist.relativize(f).toString());
      assertThat(Files.readAllBytes(back)).as(f.toString()).isEqualTo(Files.readAllBytes(f));
    }
  }

  @Test
  void gzipInputStreamReadsItByteForByte() throws Exception {
    Path tgz = build("a", 2, 1);
    int seen = 0;
    try (InputStream in = Files.newInputStream(tgz);
        TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in, 1 << 16))) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        if (e.isFile()) {
          Path f = dist.resolve(e.getName().substring("ferry-z-bin/".length()));
          assertThat(tar.readAllBytes()).as(e.getName()).isEqualTo(Files.readAllBytes(f));
          seen++;
        }
      }
    }
    assertThat(seen).isEqualTo(files().size());
  }

  @Test
  void sameTreeGivesSameBytesForAnyThreadCount() throws IOException {
    byte[] first = Files.readAllBytes(build("a", 1, TarballBuilder.DEFAULT_STORE_MINIMUM));
    assertThat(Files.readAllBytes(build("b", 2, TarballBuilder.DEFAULT_STORE_MINIMUM))).isEqualTo(first);
    assertThat(Files.readAllBytes(build("c", 3, TarballBuilder.DEFAULT_STORE_MINIMUM))).isEqualTo(first);
  }

  @Test
  void jarDataIsStoredAndSizeStaysClose() throws IOException {
    byte[] deflatedAgain = Files.readAllBytes(build("plain", 2, 0));
    byte[] stored = Files.readAllBytes(build("stored", 2, TarballBuilder.DEFAULT_STORE_MINIMUM));
    assertThat(stored).isNotEqualTo(deflatedAgain);
    assertThat((double) stored.length / deflatedAgain.length).isBetween(0.99, 1.01);
    // A class's deflated bytes are in the archive as they are in the jar.
    byte[] a = Files.readAllBytes(dist.resolve("lib/a.jar"));
    byte[] piece = Arrays.copyOfRange(a, a.length / 3, a.length / 3 + 200);
    assertThat(ZipEntries.indexOf(stored, piece)).isNotNegative();
  }
}
