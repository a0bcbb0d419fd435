package io.ferry.packager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.packager.store.TransferListener;
import io.ferry.packager.testing.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TarballBuilderTest {

  private static final long EPOCH = 1_700_000_000L;

  @TempDir Path tmp;
  Path dist;

  @BeforeEach
  void makeDist() throws IOException {
    dist = tmp.resolve("dist");
    Files.createDirectories(dist.resolve("bin"));
    Files.createDirectories(dist.resolve("lib"));
    Files.createDirectories(dist.resolve("conf/empty-dir"));
    Files.writeString(dist.resolve("bin/ferry-package"), "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(dist.resolve("bin/ferry-package"), PosixFilePermissions.fromString("rw-------"));
    Files.writeString(dist.resolve("conf/run.sh"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(dist.resolve("conf/run.sh"), PosixFilePermissions.fromString("rwxrwxrwx"));
    byte[] jar = new byte[3_000_000];
    new Random(1).nextBytes(jar);
    Files.write(dist.resolve("lib/a.jar"), jar);
    Files.writeString(dist.resolve("RELEASE"), "Ferry test\n".repeat(1000));
    // Longer than ustar's 100-byte name field: needs a PAX header, which must be dated too.
    Files.createDirectories(dist.resolve("lib/" + "deep/".repeat(25)));
    Files.writeString(dist.resolve("lib/" + "deep/".repeat(25) + "long-name-" + "x".repeat(60) + ".txt"), "long\n");
    Files.writeString(dist.resolve("lib/caf\u00e9.txt"), "non-ascii name\n");
  }

  private Path build(String name, int threads) throws IOException {
    Path out = tmp.resolve("out-" + threads + "-" + System.nanoTime()).resolve(name);
    TarballBuilder.forDirectory(dist).mtime(Instant.ofEpochSecond(EPOCH)).threads(threads).build(out);
    return out;
  }

  @Test
  void sameTreeGivesSameBytesForAnyThreadCount() throws IOException {
    byte[] first = Files.readAllBytes(build("ferry-1-bin.tgz", 1));
    assertThat(Files.readAllBytes(build("ferry-1-bin.tgz", 2))).isEqualTo(first);
    assertThat(Files.readAllBytes(build("ferry-1-bin.tgz", 5))).isEqualTo(first);
  }

  @Test
  void gnuTarExtractsOneTopLevelDirectoryWithNormalisedModes() throws Exception {
    Path tgz = build("ferry-1-bin-test.tgz", 2);
    Path x = Files.createDirectories(tmp.resolve("x"));
    Processes.Result r = Processes.run(x, 60, "tar", "-xzf", tgz.toString());
    assertThat(r.exitCode()).as(r.output()).isZero();
    try (var list = Files.list(x)) {
      assertThat(list.map(p -> p.getFileName().toString()).toList()).containsExactly("ferry-1-bin-test");
    }
    Path top = x.resolve("ferry-1-bin-test");
    assertThat(Files.readAllBytes(top.resolve("lib/a.jar"))).isEqualTo(Files.readAllBytes(dist.resolve("lib/a.jar")));
    assertThat(Files.readString(top.resolve("lib/caf\u00e9.txt"))).isEqualTo("non-ascii name\n");
    assertThat(Files.readString(top.resolve("lib/" + "deep/".repeat(25) + "long-name-" + "x".repeat(60) + ".txt"))).isEqualTo("long\n");
    assertThat(Files.isDirectory(top.resolve("conf/empty-dir"))).isTrue();
    assertThat(perms(top.resolve("bin/ferry-package"))).isEqualTo("rwxr-xr-x");
    assertThat(perms(top.resolve("conf/run.sh"))).isEqualTo("rw-r--r--");
    assertThat(perms(top.resolve("lib"))).isEqualTo("rwxr-xr-x");
    assertThat(Files.getLastModifiedTime(top.resolve("RELEASE")).toInstant()).isEqualTo(Instant.ofEpochSecond(EPOCH));

    Processes.Result listing = Processes.run(tmp, 60, "tar", "--numeric-owner", "-tvzf", tgz.toString());
    assertThat(listing.output().lines()).allSatisfy(line -> assertThat(line).contains(" 0/0 "));
    Processes.Result sums = Processes.run(tgz.getParent(), 60, "sha512sum", "-c", tgz.getFileName() + ".sha512");
    assertThat(sums.exitCode()).as(sums.output()).isZero();
  }

  @Test
  void everyHeaderIncludingPaxHeadersCarriesTheFixedMtimeAndSortedNames() throws IOException {
    byte[] tar;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(build("ferry-1-bin.tgz", 2)))) {
      tar = in.readAllBytes();
    }
    List<String> names = new ArrayList<>();
    int headers = 0;
    for (int off = 0; off + 512 <= tar.length; ) {
      if (isZero(tar, off)) {
        break;
      }
      headers++;
      long mtime = octal(tar, off + 136, 12);
      long uid = octal(tar, off + 108, 8);
      assertThat(mtime).as("mtime of header %d", headers).isEqualTo(EPOCH);
      assertThat(uid).isZero();
      char type = (char) tar[off + 156];
      if (type != 'x' && type != 'g' && type != 'L') {
        names.add(new String(tar, off, 100, StandardCharsets.UTF_8).replace("\0", ""));
      }
      long size = octal(tar, off + 124, 12);
      off += 512 + (int) ((size + 511) / 512 * 512);
    }
    assertThat(headers).isGreaterThan(names.size());
    assertThat(names.get(0)).isEqualTo("ferry-1-bin/");
  }

  @Test
  void symlinkOutOfTheTreeIsRefusedAndNothingIsWritten() throws IOException {
    Files.createSymbolicLink(dist.resolve("lib/escape"), Path.of("/etc/passwd"));
    Path out = tmp.resolve("o/ferry-1-bin.tgz");
    assertThatThrownBy(() -> TarballBuilder.forDirectory(dist).build(out))
        .hasMessageContaining("points outside").hasMessageContaining("lib/escape");
    assertThat(out).doesNotExist();
  }

  @Test
  void failureMidwayLeavesNoArchiveNorTemporaryFile() throws IOException {
    Path out = tmp.resolve("o/ferry-1-bin.tgz");
    TransferListener failing = new TransferListener() {
      long seen;

      @Override
      public void transferred(long bytes) {
        seen += bytes;
        if (seen > 1_000_000) {
          throw new IllegalStateException("injected failure");
        }
      }
    };
    assertThatThrownBy(() -> TarballBuilder.forDirectory(dist).listener(failing).build(out))
        .hasMessageContaining("injected");
    try (var list = Files.list(out.getParent())) {
      assertThat(list.toList()).isEmpty();
    }
  }

  @Test
  void outputNameMustBeATarball() {
    assertThatThrownBy(() -> TarballBuilder.forDirectory(dist).build(tmp.resolve("x.zip")))
        .hasMessageContaining("x.zip").hasMessageContaining(".tgz");
  }

  private static String perms(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static boolean isZero(byte[] b, int off) {
    for (int i = off; i < off + 512; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static long octal(byte[] b, int off, int len) {
    String s = new String(b, off, len, StandardCharsets.US_ASCII).replace("\0", "").trim();
    return s.isEmpty() ? 0 : Long.parseLong(s, 8);
  }
}
