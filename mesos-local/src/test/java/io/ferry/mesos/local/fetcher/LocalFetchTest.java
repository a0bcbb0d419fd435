package io.ferry.mesos.local.fetcher;

import static io.ferry.mesos.local.fetcher.SandboxFixture.uri;
import static io.ferry.mesos.local.fetcher.SandboxFixture.uriBuilder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code file://} URIs and plain paths, and what happens to a file once it is fetched. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LocalFetchTest {

  @TempDir
  Path tmp;

  private SandboxFixture world;
  private Fetcher fetcher;

  @BeforeEach
  void setUp() throws IOException {
    world = SandboxFixture.create(tmp);
    fetcher = Fetcher.builder().frameworksHome(world.sources).build();
  }

  @AfterEach
  void tearDown() {
    fetcher.close();
  }

  @Test
  void fileLocalhostUriIsCopied() throws Exception {
    Files.writeString(world.source("conf.properties"), "a=1");

    world.fetch(fetcher, uri("file://localhost" + world.source("conf.properties")));

    assertThat(world.read("conf.properties")).isEqualTo("a=1");
    assertThat(world.read("stderr"))
        .contains("Fetching URI 'file://localhost" + world.source("conf.properties") + "'")
        .contains("Fetched 'file://localhost")
        .contains("Successfully fetched all URIs into '" + world.sandbox + "'");
  }

  @Test
  void fileUriWithTripleSlashIsCopied() throws Exception {
    Files.writeString(world.source("a.txt"), "A");

    world.fetch(fetcher, uri("file://" + world.source("a.txt")));

    assertThat(world.read("a.txt")).isEqualTo("A");
  }

  @Test
  void fileUriMustBeAbsolute() throws Exception {
    assertThatThrownBy(() -> world.fetch(fetcher, uri("file://relative/a.txt")))
        .isInstanceOf(FetchException.class)
        .hasMessage("Failed to fetch 'file://relative/a.txt': a file:// URI must hold an absolute"
            + " path (file:///path or file://localhost/path)");
  }

  @Test
  void relativePathIsJoinedToFrameworksHome() throws Exception {
    Files.createDirectories(world.source("fw"));
    Files.writeString(world.source("fw/run.sh"), "#!/bin/sh");

    world.fetch(fetcher, uri("fw/run.sh"));

    assertThat(world.read("run.sh")).isEqualTo("#!/bin/sh");
  }

  @Test
  void relativePathWithoutFrameworksHomeFails() throws Exception {
    try (Fetcher bare = Fetcher.builder().build()) {
      assertThatThrownBy(() -> world.fetch(bare, uri("fw/run.sh")))
          .isInstanceOf(FetchException.class)
          .hasMessageContaining("'fw/run.sh'")
          .hasMessageContaining("frameworks home (--frameworks_home) is not set");
    }
  }

  @Test
  void missingFileFailsNamingIt() throws Exception {
    Path missing = world.source("nope.tgz");

    assertThatThrownBy(() -> world.fetch(fetcher, uri(missing.toString())))
        .hasMessage("Failed to fetch '" + missing + "': no such file '" + missing + "'");
    assertThat(world.topLevel()).containsExactly("stderr", "stdout");
  }

  @Test
  void outputFileInASubdirectoryIsExtractedIntoTheSandboxRoot() throws Exception {
    TestArchives.tar().file("bin/run", "#!/bin/sh\necho hi\n", 0755).file("conf/a", "1")
        .writeTo(world.source("app.tgz"));

    world.fetch(fetcher, uriBuilder(world.source("app.tgz").toString())
        .setOutputFile("sub/x.tgz").build());

    assertThat(world.inSandbox("sub/x.tgz")).isRegularFile();
    assertThat(world.read("bin/run")).startsWith("#!/bin/sh");
    assertThat(world.read("conf/a")).isEqualTo("1");
    assertThat(world.inSandbox("sub/bin")).doesNotExist();
    assertThat(Files.getPosixFilePermissions(world.inSandbox("bin/run")))
        .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(Files.getPosixFilePermissions(world.inSandbox("conf/a")))
        .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
  }

  @Test
  void executableTgzIsMadeExecutableAndNotExtracted() throws Exception {
    TestArchives.tar().file("inside", "x").writeTo(world.source("tool.tgz"));

    world.fetch(fetcher, uriBuilder(world.source("tool.tgz").toString()).setExecutable(true)
        .build());

    assertThat(Files.getPosixFilePermissions(world.inSandbox("tool.tgz")))
        .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(world.inSandbox("inside")).doesNotExist();
  }

  @Test
  void bareGzIsGunzippedBesideIt() throws Exception {
    TestArchives.gzip(world.source("data.csv.gz"), "a,b\n1,2\n");

    world.fetch(fetcher, uri(world.source("data.csv.gz").toString()));

    assertThat(world.read("data.csv")).isEqualTo("a,b\n1,2\n");
    assertThat(world.inSandbox("data.csv.gz")).isRegularFile();
  }

  @Test
  void bareGzWithOutputFileInASubdirectoryIsGunzippedIntoTheRoot() throws Exception {
    TestArchives.gzip(world.source("data.csv.gz"), "x");

    world.fetch(fetcher, uriBuilder(world.source("data.csv.gz").toString())
        .setOutputFile("in/d.gz").build());

    assertThat(world.read("d")).isEqualTo("x");
    assertThat(world.inSandbox("in/d.gz")).isRegularFile();
  }

  @Test
  void extractFalseLeavesTheArchive() throws Exception {
    TestArchives.tar().file("inside", "x").writeTo(world.source("keep.tar"));

    world.fetch(fetcher, uriBuilder(world.source("keep.tar").toString()).setExtract(false)
        .build());

    assertThat(world.topLevel()).containsExactly("keep.tar", "stderr", "stdout");
  }

  @Test
  void otherFilesAreLeftAsTheyAre() throws Exception {
    Files.writeString(world.source("app.jar"), "PK");

    world.fetch(fetcher, uri(world.source("app.jar").toString()));

    assertThat(world.read("app.jar")).isEqualTo("PK");
    assertThat(Files.getPosixFilePermissions(world.inSandbox("app.jar")))
        .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
  }

  @Test
  void zipIsExtractedHonouringUnixModes() throws Exception {
    TestArchives.zip().dir("bin").file("bin/start", "#!/bin/sh", 0755)
        .file("README", "read me", 0)
        .writeTo(world.source("dist.zip"));

    world.fetch(fetcher, uri(world.source("dist.zip").toString()));

    assertThat(world.read("bin/start")).isEqualTo("#!/bin/sh");
    assertThat(Files.isExecutable(world.inSandbox("bin/start"))).isTrue();
    assertThat(world.read("README")).isEqualTo("read me");
    assertThat(Files.getPosixFilePermissions(world.inSandbox("README")))
        .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(world.inSandbox("dist.zip")).isRegularFile();
  }

  @Test
  void everyTarCompressionIsExtracted() throws Exception {
    List<String> names = List.of("a.tar", "b.tar.gz", "c.tbz2", "d.tar.bz2", "e.txz",
        "f.tar.xz", "g.tgz");
    for (String name : names) {
      TestArchives.tar().file("from-" + name, name).writeTo(world.source(name));
    }

    world.fetch(fetcher, names.stream().map(n -> uri(world.source(n).toString()))
        .toArray(org.apache.mesos.v1.Protos.CommandInfo.URI[]::new));

    for (String name : names) {
      assertThat(world.read("from-" + name)).isEqualTo(name);
    }
  }

  @Test
  void readOnlyDirectoryInAnArchiveStillGetsItsFiles() throws Exception {
    TestArchives.tar().dir("ro", 0555).file("ro/f", "x").writeTo(world.source("ro.tar"));

    world.fetch(fetcher, uri(world.source("ro.tar").toString()));

    assertThat(world.read("ro/f")).isEqualTo("x");
    assertThat(Files.getPosixFilePermissions(world.inSandbox("ro")))
        .isEqualTo(PosixFilePermissions.fromString("r-xr-xr-x"));
  }

  @Test
  void corruptArchiveFailsWithAReason() throws Exception {
    Files.writeString(world.source("broken.tgz"), "this is not gzip");

    assertThatThrownBy(() -> world.fetch(fetcher, uri(world.source("broken.tgz").toString())))
        .hasMessageContaining("archive broken.tgz is corrupt: Input is not in the .gz format");
  }

  @Test
  void invalidUriFailsTheWholeFetchBeforeAnythingIsFetched() throws Exception {
    Files.writeString(world.source("a.txt"), "A");

    assertThatThrownBy(() -> world.fetch(fetcher, uri(world.source("a.txt").toString()),
        uri("http://host/it's")))
        .hasMessageContaining("illegal characters in URI");

    assertThat(world.inSandbox("a.txt")).doesNotExist();
    assertThat(world.read("stderr")).startsWith("E").doesNotContain("Fetching URI");
  }

  @Test
  void leadingWhitespaceIsTrimmed() throws Exception {
    Files.writeString(world.source("a.txt"), "A");

    world.fetch(fetcher, uri("  \t" + world.source("a.txt")));

    assertThat(world.read("a.txt")).isEqualTo("A");
  }

  @Test
  void emptyListFetchesNothingAndLogsNothing() throws Exception {
    fetcher.fetch(List.of(), world.sandbox, Optional.empty(), world.log);

    assertThat(world.log.toString()).isEmpty();
  }

  @Test
  void missingSandboxFails() {
    assertThatThrownBy(() -> fetcher.fetch(List.of(uri("/x")), tmp.resolve("nowhere"),
        Optional.empty(), new StringBuilder()))
        .hasMessageContaining("is not a directory");
  }

  @Test
  void nameOfTheLongestAllowedLengthIsFetched() throws Exception {
    String name = "n".repeat(251) + ".txt";
    Files.writeString(world.source(name), "long");

    world.fetch(fetcher, uri(world.source(name).toString()));

    assertThat(world.read(name)).isEqualTo("long");
  }

  @Test
  void unknownSchemeFailsWithTheSchemesThatWork() throws Exception {
    assertThatThrownBy(() -> world.fetch(fetcher, uri("ftp://host/file.tgz")))
        .hasMessageContaining("Failed to fetch 'ftp://host/file.tgz'")
        .hasMessageContaining("unknown scheme 'ftp'");
  }
}
