package io.ferry.mesos.local.fetcher;

import static io.ferry.mesos.local.fetcher.SandboxFixture.uri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reasons a person reads when an archive cannot be unpacked: short, true, and with whatever
 * the archive supplied (names, link targets) cut and escaped.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ArchiveReasonTest {

  @TempDir
  Path tmp;

  private SandboxFixture world;
  private Fetcher fetcher;

  @BeforeEach
  void setUp() throws IOException {
    world = SandboxFixture.create(tmp);
    fetcher = Fetcher.builder().build();
  }

  @AfterEach
  void tearDown() {
    fetcher.close();
  }

  @Test
  void anEntryNameTooLongForTheFileSystemIsRefusedInOneShortLine() throws Exception {
    String longName = "d/".repeat(2048) + "xxxx";   // 4100 bytes
    Path archive = Bombs.tgz(world.source("long.tgz"), longName, 10);

    assertThatThrownBy(() -> world.fetch(fetcher, uri(archive.toString())))
        .hasMessageStartingWith("Failed to fetch '" + archive + "': archive long.tgz: entry '"
            + "d/".repeat(60) + "…' has a name too long (4100 bytes, limit 4096 bytes)")
        .satisfies(e -> {
          assertThat(e.getMessage()).hasSizeLessThan(400).doesNotContain("disk space");
        });
  }

  @Test
  void aPathSegmentTooLongIsRefusedNamingTheLimit() throws Exception {
    Path archive = Bombs.tgz(world.source("seg.tgz"), "a/" + "n".repeat(300), 10);

    assertThatThrownBy(() -> world.fetch(fetcher, uri(archive.toString())))
        .hasMessageContaining("has a path segment too long (300 bytes, limit 255 bytes)")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
  }

  @Test
  void aTruncatedTgzSaysSoAndNamesTheEntryAndLeavesNoPartialFile() throws Exception {
    Path whole = Bombs.tgz(world.source("whole.tgz"), "big.bin", 8L * Bombs.MiB);
    byte[] bytes = Files.readAllBytes(whole);
    Path cut = Files.write(world.source("cut.tgz"), Arrays.copyOf(bytes, bytes.length / 2));

    assertThatThrownBy(() -> world.fetch(fetcher, uri(cut.toString())))
        .hasMessage("Failed to fetch '" + cut + "': archive cut.tgz is truncated or corrupt:"
            + " unexpected end of data in entry 'big.bin'");
    assertThat(world.topLevel()).containsExactly("cut.tgz", "first.txt", "stderr", "stdout");
  }

  @Test
  void aTruncatedGzSaysSo() throws Exception {
    Path whole = Bombs.gz(world.source("whole.bin.gz"), 8L * Bombs.MiB);
    byte[] bytes = Files.readAllBytes(whole);
    Path cut = Files.write(world.source("cut.bin.gz"), Arrays.copyOf(bytes, bytes.length / 2));

    assertThatThrownBy(() -> world.fetch(fetcher, uri(cut.toString())))
        .hasMessage("Failed to fetch '" + cut + "': archive cut.bin.gz is truncated or corrupt:"
            + " unexpected end of data");
    assertThat(world.topLevel()).containsExactly("cut.bin.gz", "stderr", "stdout");
  }

  @Test
  void somethingThatIsNotAnArchiveIsCalledCorruptWithTheDecompressorsWords() throws Exception {
    Path notGzip = Files.writeString(world.source("plain.tgz"), "just text, not gzip\n");

    assertThatThrownBy(() -> world.fetch(fetcher, uri(notGzip.toString())))
        .hasMessageStartingWith("Failed to fetch '" + notGzip + "': archive plain.tgz is corrupt")
        .hasMessageEndingWith("; is it a complete archive of the kind its name says?")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("null"));
  }

  @Test
  void controlCharactersFromTheArchiveAreEscapedAndLongTextCut() throws Exception {
    String target = "/etc/\n\u001b[31mforged line " + "x".repeat(500);
    Path archive = TestArchives.tar().symlink("evil\r", target).writeTo(world.source("ctl.tar"));

    assertThatThrownBy(() -> world.fetch(fetcher, uri(archive.toString())))
        .satisfies(e -> {
          String message = e.getMessage();
          assertThat(message).contains("entry 'evil\\r' is a symlink to '/etc/\\n\\u001b[31mforged"
              + " line xxx").contains("…").doesNotContain("\n").doesNotContain("\u001b")
              .doesNotContain("\r").hasSizeLessThan(400);
        });
  }
}
