package io.ferry.mesos.local.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mesos's files semantics ({@code src/tests/files_tests.cpp}: ReadTest, ResolveTest, BrowseTest)
 * and the confinement, on real files: nothing outside the attached directory is ever read.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SandboxReaderTest {

  private static final String SECRET = "TOP-SECRET-7f3a9c";

  @TempDir Path tmp;
  private Path root;
  private SandboxFiles files;
  private SandboxReader reader;

  @BeforeEach
  void sandbox() throws IOException {
    root = Files.createDirectories(tmp.resolve("sandbox"));
    Files.writeString(root.resolve("body"), "body");
    Files.createDirectories(root.resolve("sub"));
    Files.writeString(root.resolve("sub").resolve("three"), "three");
    Files.createDirectories(root.resolve("empty"));
    Files.writeString(tmp.resolve("secret.txt"), SECRET);
    // A sibling whose name starts with the sandbox's: Mesos's string prefix check would let it through.
    Files.createDirectories(tmp.resolve("sandbox-evil"));
    Files.writeString(tmp.resolve("sandbox-evil").resolve("x.txt"), SECRET);
    files = new SandboxFiles();
    files.attach(root, "/sb/");
    reader = new SandboxReader(files);
  }

  private String read(String path, long offset, OptionalLong length, OptionalLong reported) {
    SandboxReader.Answer a = reader.read(path, offset, length, reported);
    return a.status() + " " + new String(a.body(), StandardCharsets.UTF_8);
  }

  private String read(String path, String offset, String length) {
    ReadRequest r = ReadRequest.parse(java.util.Optional.ofNullable(offset), java.util.Optional.ofNullable(length));
    if (r.problem() != null) {
      return "400 " + r.problem();
    }
    return read(path, r.offset(), r.length(), r.reportedOffset());
  }

  @Test
  void readsAsMesosDoes() {
    assertThat(read("/sb/body", "0", null)).isEqualTo("200 {\"data\":\"body\",\"offset\":0}");
    assertThat(read("/sb/body", "0", "-1")).isEqualTo("200 {\"data\":\"body\",\"offset\":0}");
    assertThat(read("/sb/body", "0", "2")).isEqualTo("200 {\"data\":\"bo\",\"offset\":0}");
    assertThat(read("/sb/body", "1", "2")).isEqualTo("200 {\"data\":\"od\",\"offset\":1}");
    // offset -1 or none: the size, no data (the UI's first request).
    assertThat(read("/sb/body", "-1", null)).isEqualTo("200 {\"data\":\"\",\"offset\":4}");
    assertThat(read("/sb/body", null, null)).isEqualTo("200 {\"data\":\"\",\"offset\":4}");
    assertThat(read("/sb/body", null, "100")).isEqualTo("200 {\"data\":\"\",\"offset\":4}");
    // Past the end: no data, the offset asked for.
    assertThat(read("/sb/body", "10", "5")).isEqualTo("200 {\"data\":\"\",\"offset\":10}");
    assertThat(read("/sb/body", "4", null)).isEqualTo("200 {\"data\":\"\",\"offset\":4}");
    assertThat(read("/sb/body", "2", "0")).isEqualTo("200 {\"data\":\"\",\"offset\":2}");
    assertThat(read("/sb/body", "0x1", "0X2")).isEqualTo("200 {\"data\":\"od\",\"offset\":1}");
    // Resolution as in ResolveTest: trailing and doubled slashes, '.', an attached name without the slash.
    assertThat(read("/sb/sub/three", "0", null)).isEqualTo("200 {\"data\":\"three\",\"offset\":0}");
    assertThat(read("/sb//sub/./three", "0", null)).isEqualTo("200 {\"data\":\"three\",\"offset\":0}");
    assertThat(read("/sb/sub/../body", "0", null)).isEqualTo("200 {\"data\":\"body\",\"offset\":0}");
  }

  @Test
  void refusesBadNumbersDirectoriesAndUnknownPaths() {
    assertThat(read("/sb/body", "hello", null))
        .isEqualTo("400 Failed to parse offset: Failed to convert 'hello' to number.\n");
    assertThat(read("/sb/body", null, "hello"))
        .isEqualTo("400 Failed to parse length: Failed to convert 'hello' to number.\n");
    assertThat(read("/sb/body", "-2", null)).isEqualTo("400 Negative offset provided: -2.\n");
    assertThat(read("/sb/body", "0", "-2")).isEqualTo("400 Negative length provided: -2.\n");
    assertThat(read("/sb/sub", "0", null)).isEqualTo("400 Cannot read a directory.\n");
    assertThat(read("/sb", "0", null)).isEqualTo("400 Cannot read a directory.\n");
    assertThat(read("/sb/", "0", null)).isEqualTo("400 Cannot read a directory.\n");
    assertThat(read("/sb/missing", "0", null)).isEqualTo("404 ");
    assertThat(read("/elsewhere", "0", null)).isEqualTo("404 ");
    assertThat(read("sb/body", "0", null)).isEqualTo("404 ");
    assertThat(read("/sb/body/more", "0", null)).startsWith("400 Failed to determine canonical path");
  }

  @Test
  void oneReadIsBoundedToSixtyFourKibibytes() throws IOException {
    byte[] big = new byte[200_000];
    java.util.Arrays.fill(big, (byte) 'a');
    Files.write(root.resolve("big"), big);
    SandboxReader.Answer a = reader.read("/sb/big", 0, OptionalLong.empty(), OptionalLong.of(0));
    assertThat(a.body().length).isEqualTo(SandboxReader.MAX_READ + "{\"data\":\"\",\"offset\":0}".length());
    a = reader.read("/sb/big", 199_990, OptionalLong.of(1_000_000), OptionalLong.of(199_990));
    assertThat(new String(a.body(), StandardCharsets.UTF_8)).isEqualTo("{\"data\":\"aaaaaaaaaa\",\"offset\":199990}");
  }

  @Test
  void dataIsEscapedAsRapidjsonEscapesIt() throws IOException {
    Files.write(root.resolve("odd"), new byte[] {'"', '\\', '\n', '\t', 1, 0x7f, (byte) 0xc3, (byte) 0xa9, '/'});
    SandboxReader.Answer a = reader.read("/sb/odd", 0, OptionalLong.empty(), OptionalLong.of(0));
    assertThat(a.body()).isEqualTo(concat("{\"data\":\"\\\"\\\\\\n\\t\\u0001".getBytes(StandardCharsets.US_ASCII),
        new byte[] {0x7f, (byte) 0xc3, (byte) 0xa9, '/'}, "\",\"offset\":0}".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void browseListsAsMesosModelsFileInfo() throws IOException {
    String listing = new String(reader.browse("/sb/").body(), StandardCharsets.UTF_8);
    assertThat(listing).isEqualTo("[" + entry("/sb/body", root.resolve("body")) + ","
        + entry("/sb/empty", root.resolve("empty")) + "," + entry("/sb/sub", root.resolve("sub")) + "]");
    assertThat(new String(reader.browse("/sb").body(), StandardCharsets.UTF_8)).isEqualTo(listing);
    assertThat(new String(reader.browse("/sb/empty").body(), StandardCharsets.UTF_8)).isEqualTo("[]");
    // os::ls of a file fails: Mesos answers an empty listing.
    assertThat(new String(reader.browse("/sb/body").body(), StandardCharsets.UTF_8)).isEqualTo("[]");
    assertThat(reader.browse("/sb/missing").status()).isEqualTo(404);
  }

  /** What Mesos's model(createFileInfo(path, stat)) gives, from this file's stat. */
  private static String entry(String path, Path file) throws IOException {
    Map<String, Object> st = Files.readAttributes(file, "unix:*", LinkOption.NOFOLLOW_LINKS);
    PosixFileAttributes p = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    String mode = (p.isDirectory() ? "d" : "-") + PosixFilePermissions.toString(p.permissions());
    long mtime = p.lastModifiedTime().to(TimeUnit.SECONDS);
    return "{\"gid\":\"" + p.group().getName() + "\",\"mode\":\"" + mode + "\",\"mtime\":" + mtime
        + ".0,\"nlink\":" + st.get("nlink") + ",\"path\":\"" + path + "\",\"size\":" + p.size()
        + ",\"uid\":\"" + p.owner().getName() + "\"}";
  }

  @Test
  void nothingOutsideTheSandboxIsReadOrListed() throws IOException {
    Files.createSymbolicLink(root.resolve("secret-link"), tmp.resolve("secret.txt"));
    Files.createSymbolicLink(root.resolve("passwd-link"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(root.resolve("evil-link"), Path.of("../sandbox-evil/x.txt"));
    Files.createSymbolicLink(root.resolve("evil-dir"), Path.of("../sandbox-evil"));
    Files.createSymbolicLink(root.resolve("rootdir"), Path.of("/"));
    Files.createSymbolicLink(root.resolve("up"), Path.of(".."));
    Files.createSymbolicLink(root.resolve("inside"), Path.of("sub/three"));
    List<String> escapes = List.of("/sb/secret-link", "/sb/passwd-link", "/sb/evil-link", "/sb/evil-dir/x.txt",
        "/sb/rootdir/etc/passwd", "/sb/up/secret.txt", "/sb/../secret.txt", "/sb/sub/../../secret.txt",
        "/sb//..//secret.txt", "/sb/../sandbox-evil/x.txt", "/sb/sub/../../sandbox-evil/x.txt");
    for (String path : escapes) {
      SandboxReader.Answer a = reader.read(path, 0, OptionalLong.empty(), OptionalLong.of(0));
      assertThat(a.status()).as(path).isEqualTo(400);
      assertThat(new String(a.body(), StandardCharsets.UTF_8)).as(path).endsWith("is inaccessible.\n")
          .doesNotContain(SECRET).doesNotContain("root:");
      assertThat(reader.download(path)).as(path).isInstanceOf(SandboxReader.Answer.class);
      assertThat(reader.browse(path).status()).as(path).isEqualTo(400);
    }
    for (String path : List.of(tmp.resolve("secret.txt").toString(), "/etc/passwd", tmp.toString(), "/")) {
      assertThat(reader.read(path, 0, OptionalLong.empty(), OptionalLong.of(0)).status()).as(path).isEqualTo(404);
      assertThat(reader.browse(path).status()).as(path).isEqualTo(404);
    }
    assertThat(files.resolve("/sb/body\0/../../secret.txt")).isInstanceOf(SandboxFiles.Invalid.class);
    // A link that stays inside is followed, as in Mesos.
    assertThat(read("/sb/inside", "0", null)).isEqualTo("200 {\"data\":\"three\",\"offset\":0}");
    // The listing shows links that leave the sandbox as links, nothing of their targets.
    String listing = new String(reader.browse("/sb").body(), StandardCharsets.UTF_8);
    assertThat(listing).contains("\"mode\":\"lrwxrwxrwx\",\"mtime\"")
        .contains("\"path\":\"/sb/secret-link\",\"size\":" + tmp.resolve("secret.txt").toString().length() + ",")
        .contains("\"path\":\"/sb/passwd-link\",\"size\":" + "/etc/passwd".length() + ",")
        .contains("\"path\":\"/sb/inside\",\"size\":5,");
  }

  @Test
  void aComponentSwappedForASymlinkAfterResolvingIsNotFollowed() throws IOException {
    SandboxFiles.Found found = (SandboxFiles.Found) files.resolve("/sb/sub/three");
    // The task replaces the directory with a link out, between resolving and opening.
    Files.move(root.resolve("sub"), root.resolve("sub-old"));
    Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(tmp.resolve("outside").resolve("three"), SECRET);
    Files.createSymbolicLink(root.resolve("sub"), tmp.resolve("outside"));
    assertThatThrownBy(() -> ConfinedFiles.directory(found.root(), ConfinedFiles.parentOf(found.relative())).close())
        .isInstanceOf(IOException.class);
    // The file itself swapped for a link: not opened either.
    Files.writeString(root.resolve("plain"), "plain");
    try (var dir = ConfinedFiles.directory(root.toRealPath(), Path.of(""))) {
      Files.delete(root.resolve("plain"));
      Files.createSymbolicLink(root.resolve("plain"), tmp.resolve("secret.txt"));
      assertThatThrownBy(() -> ConfinedFiles.open(dir, Path.of("plain")).close()).isInstanceOf(IOException.class);
    }
  }

  @Test
  void aFifoIsRefusedRatherThanWaitedOn() throws Exception {
    Process mkfifo = new ProcessBuilder("mkfifo", root.resolve("pipe").toString()).inheritIO().start();
    assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(mkfifo.exitValue()).isZero();
    assertThat(read("/sb/pipe", "0", null)).isEqualTo("400 Cannot read '/sb/pipe': not a regular file.\n");
    assertThat(new String(reader.browse("/sb").body(), StandardCharsets.UTF_8)).contains("\"mode\":\"prw-r--r--\"");
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
