package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.driver.FerryContext;
import io.ferry.it.jobs.RecordedTask;
import io.ferry.it.support.AppJar;
import io.ferry.it.support.Distribution;
import io.ferry.it.support.Jobs;
import io.ferry.it.support.Ledger;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Executor archives that try to write outside the sandbox, given to a real driver as
 * {@code ferry.executor.uri}: a {@code ../} entry, an absolute path, an absolute symlink and a
 * climbing relative symlink, each followed by a file written through it. The agent's fetcher must
 * refuse the archive, the task must fail with a message that names the entry, and nothing may
 * appear outside the sandbox. The archive also carries a working {@code bin/ferry-executor}
 * (the real one), so only the fetcher stands between it and a launch.
 */
@Timeout(120)
class SandboxEscapeTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dotdot", "absolute", "absolute-symlink", "climbing-symlink"})
  void theFetcherRefusesTheArchiveAndTheTaskFailsSayingWhy(String kind) throws Exception {
    Distribution dist = Distribution.locate();
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Path archive = dir.resolve(dist.topLevel() + ".tgz");
    String top = dist.topLevel() + "/";
    String expectedReason;
    try (OutputStream file = Files.newOutputStream(archive);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(file))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      directory(tar, top);
      directory(tar, top + "bin/");
      byte[] launcher = Files.readAllBytes(dist.bin("ferry-executor"));
      file(tar, top + "bin/ferry-executor", launcher, 0755);
      switch (kind) {
        case "dotdot" -> {
          // Enough ../ to reach / from any sandbox, then the path of outside/.
          file(tar, top + "../".repeat(40) + outside.toString().substring(1) + "/escaped.txt", bytes("x"), 0644);
          expectedReason = "escapes the sandbox";
        }
        case "absolute" -> {
          file(tar, outside.resolve("escaped.txt").toString(), bytes("x"), 0644);
          expectedReason = "is an absolute path";
        }
        case "absolute-symlink" -> {
          symlink(tar, top + "out", outside.toString());
          file(tar, top + "out/escaped.txt", bytes("x"), 0644);
          expectedReason = "absolute path outside the sandbox";
        }
        case "climbing-symlink" -> {
          symlink(tar, top + "up", "../".repeat(40) + outside.toString().substring(1));
          file(tar, top + "up/escaped.txt", bytes("x"), 0644);
          expectedReason = "outside the sandbox";
        }
        default -> throw new IllegalArgumentException(kind);
      }
    }
    Path appJar = AppJar.build(Files.createDirectories(dir.resolve("app")));
    Ledger ledger = new Ledger(Files.createDirectories(dir.resolve("ledger")));
    Path work = dir.resolve("work");
    try (FerryContext ferry = FerryContext.create(Jobs.with(
        Jobs.settings("local-cluster[1,2,1024]", Distribution.fileUri(archive), false, appJar, work),
        "ferry.task.maxFailures", "1"))) {
      CompletableFuture<Long> f = ferry.submit("escape " + kind, new RecordedTask(0, 10, ledger.dir()));
      ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> f.get(60, TimeUnit.SECONDS));
      assertThat(e.getCause().getMessage()).as("why the task failed").contains(archive.getFileName().toString())
          .contains(expectedReason);
    }
    try (Stream<Path> files = Files.walk(outside)) {
      assertThat(files.filter(p -> !p.equals(outside)).toList()).as("files outside the sandbox").isEmpty();
    }
    assertThat(ledger.attempts()).as("no executor ran").isEmpty();
    try (Stream<Path> files = Files.walk(work)) {
      assertThat(files.map(Path::getFileName).map(Path::toString).toList()).doesNotContain("escaped.txt");
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void directory(TarArchiveOutputStream tar, String name) throws Exception {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(040755);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private static void file(TarArchiveOutputStream tar, String name, byte[] content, int mode) throws Exception {
    TarArchiveEntry e = new TarArchiveEntry(name, true); // keep leading '/' and '../' as given
    e.setSize(content.length);
    e.setMode(0100000 | mode);
    tar.putArchiveEntry(e);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  private static void symlink(TarArchiveOutputStream tar, String name, String target) throws Exception {
    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
    e.setLinkName(target);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }
}
