package io.ferry.mesos.local.fetcher;

import static io.ferry.mesos.local.fetcher.SandboxFixture.uri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Archives built to escape the sandbox: each is refused with a reason naming the archive and the
 * entry, and nothing outside the sandbox changes (a canary directory beside it stays as it was).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MaliciousArchiveTest {

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

  /** A malicious archive: how to build it from the canary's path, and what the refusal says. */
  record Case(String name, Function<Path, TestArchives.Tar> build, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> tarCases() {
    return Stream.of(
        new Case("dot-dot", canary -> TestArchives.tar()
            .file("ok.txt", "fine")
            .file("../../../../../canary/x", "pwned"),
            "entry '../../../../../canary/x' escapes the sandbox"),
        new Case("dot-dot inside a name", canary -> TestArchives.tar()
            .file("bin/../../../../../../canary/x", "pwned"),
            "escapes the sandbox"),
        new Case("absolute", canary -> TestArchives.tar()
            .file(canary.resolve("x").toString(), "pwned"),
            "is an absolute path"),
        new Case("absolute symlink", canary -> TestArchives.tar()
            .symlink("evil", canary.toString()),
            "entry 'evil' is a symlink to '" + "CANARY" + "', an absolute path"),
        new Case("relative symlink out", canary -> TestArchives.tar()
            .dir("a", 0755)
            .symlink("a/evil", "../../../../../../canary"),
            "entry 'a/evil' is a symlink to '../../../../../../canary', outside the sandbox"),
        new Case("symlink to the sandbox's parent", canary -> TestArchives.tar()
            .symlink("up", ".."),
            "outside the sandbox"),
        new Case("symlink with a '..' after a name", canary -> TestArchives.tar()
            .symlink("c", "y/.."),
            "a '..' after a name"),
        new Case("symlink, then a write through it", canary -> TestArchives.tar()
            .symlink("a", ".")
            .file("a/x", "through"),
            "entry 'a/x' would be written through the symlink 'a'"),
        new Case("symlink, then a directory through it", canary -> TestArchives.tar()
            .symlink("a", ".")
            .dir("a/d", 0755),
            "would be written through the symlink 'a'"),
        new Case("hard link out", canary -> TestArchives.tar()
            .hardLink("h", "../../../../../../canary/keep"),
            "entry 'h' is a hard link to '../../../../../../canary/keep', outside the sandbox"),
        new Case("absolute hard link", canary -> TestArchives.tar()
            .hardLink("h", canary.resolve("keep").toString()),
            "outside the sandbox"),
        new Case("hard link to an entry not yet extracted", canary -> TestArchives.tar()
            .hardLink("h", "later.txt")
            .file("later.txt", "x"),
            "is a hard link to 'later.txt', which is not a file this archive extracted before"),
        new Case("hard link to a file that was there before", canary -> TestArchives.tar()
            .hardLink("h", "stderr"),
            "which is not a file this archive extracted before"),
        new Case("character device", canary -> TestArchives.tar()
            .special("tty", TarConstants.LF_CHR),
            "entry 'tty' is a character device"),
        new Case("block device", canary -> TestArchives.tar()
            .special("sda", TarConstants.LF_BLK),
            "entry 'sda' is a block device"),
        new Case("FIFO", canary -> TestArchives.tar()
            .special("pipe", TarConstants.LF_FIFO),
            "entry 'pipe' is a FIFO"))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tarCases")
  void refusesMaliciousTar(Case c) throws Exception {
    Path archive = c.build().apply(world.canary).writeTo(world.source("evil.tgz"));
    TreeSet<String> before = world.outside();

    assertThatThrownBy(() -> world.fetch(fetcher, uri(archive.toString())))
        .isInstanceOf(FetchException.class)
        .hasMessageStartingWith("Failed to fetch '" + archive + "': archive evil.tgz: ")
        .hasMessageContaining(c.expected().replace("CANARY", world.canary.toString()));

    assertThat(world.outside()).isEqualTo(before);
    assertThat(Files.readString(world.canary.resolve("keep"))).isEqualTo("canary");
    assertThat(world.read("stderr")).contains("E").contains("archive evil.tgz: entry");
  }

  @Test
  void writeThroughASymlinkFromAnEarlierArchiveIsRefused() throws Exception {
    Path first = TestArchives.tar().symlink("lib", ".").writeTo(world.source("first.tar"));
    Path second = TestArchives.tar().file("lib/x", "y").writeTo(world.source("second.tar"));
    TreeSet<String> before = world.outside();

    assertThatThrownBy(() -> world.fetch(fetcher, uri(first.toString()), uri(second.toString())))
        .hasMessageContaining("archive second.tar: entry 'lib/x' would be written through the"
            + " symlink 'lib'");
    assertThat(world.outside()).isEqualTo(before);
  }

  @Test
  void anExistingSymlinkAtAnEntrysNameIsReplacedNotFollowed() throws Exception {
    Path target = world.canary.resolve("keep");
    Files.createSymbolicLink(world.inSandbox("config"), target);
    Path archive = TestArchives.tar().file("config", "mine").writeTo(world.source("a.tar"));

    world.fetch(fetcher, uri(archive.toString()));

    assertThat(Files.isSymbolicLink(world.inSandbox("config"))).isFalse();
    assertThat(world.read("config")).isEqualTo("mine");
    assertThat(Files.readString(target)).isEqualTo("canary");
  }

  @Test
  void zipWithDotDotIsRefused() throws Exception {
    Path archive = TestArchives.zip().file("../../../../../../canary/x", "pwned", 0644)
        .writeTo(world.source("evil.zip"));
    TreeSet<String> before = world.outside();

    assertThatThrownBy(() -> world.fetch(fetcher, uri(archive.toString())))
        .hasMessageContaining("archive evil.zip: entry '../../../../../../canary/x' escapes the"
            + " sandbox");
    assertThat(world.outside()).isEqualTo(before);
  }

  @Test
  void zipWithAbsoluteNameIsRefused() throws Exception {
    Path archive = TestArchives.zip().file(world.canary.resolve("x").toString(), "pwned", 0644)
        .writeTo(world.source("evil.zip"));
    TreeSet<String> before = world.outside();

    assertThatThrownBy(() -> world.fetch(fetcher, uri(archive.toString())))
        .hasMessageContaining("is an absolute path");
    assertThat(world.outside()).isEqualTo(before);
  }

  @Test
  void zipSymlinkOutThenWriteThroughIsRefused() throws Exception {
    Path archive = TestArchives.zip().symlink("out", world.canary.toString())
        .file("out/x", "pwned", 0644)
        .writeTo(world.source("evil.zip"));
    TreeSet<String> before = world.outside();

    assertThatThrownBy(() -> world.fetch(fetcher, uri(archive.toString())))
        .hasMessageContaining("entry 'out' is a symlink to '" + world.canary + "'");
    assertThat(world.outside()).isEqualTo(before);
  }

  @Test
  void zipDeviceEntryIsRefused() throws Exception {
    Path archive = TestArchives.zip().device("tty").writeTo(world.source("evil.zip"));

    assertThatThrownBy(() -> world.fetch(fetcher, uri(archive.toString())))
        .hasMessageContaining("entry 'tty' is a special file");
  }

  @Test
  void symlinksAndHardLinksInsideTheSandboxAreKept() throws Exception {
    Path archive = TestArchives.tar()
        .dir("app/lib", 0755)
        .file("app/lib/libx.so.1", "lib")
        .symlink("app/lib/libx.so", "libx.so.1")
        .symlink("app/current", "../app")
        .dir("app/bin", 0755)
        .symlink("app/bin/lib", "../lib")
        .hardLink("app/lib/copy", "./app/lib/libx.so.1")
        .writeTo(world.source("ok.tgz"));

    world.fetch(fetcher, uri(archive.toString()));

    assertThat(world.read("app/lib/libx.so")).isEqualTo("lib");
    assertThat(world.read("app/bin/lib/libx.so.1")).isEqualTo("lib");
    assertThat(world.read("app/current/lib/copy")).isEqualTo("lib");
    assertThat(Files.readSymbolicLink(world.inSandbox("app/lib/libx.so")))
        .isEqualTo(Path.of("libx.so.1"));
  }
}
