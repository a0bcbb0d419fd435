package io.ferry.packager.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.packager.testing.MiniHdfs;
import io.ferry.packager.testing.NginxServer;
import io.ferry.packager.testing.S3ProxyServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry-package upload FILE URI} where URI is a directory (issue 16): a URI ending in
 * {@code /}, or an existing directory, gets the file under its own name, as {@code hadoop fs -put}
 * does, on every store (a local directory, MiniDFSCluster, S3Proxy, nginx WebDAV); and "done
 * uploading" is printed only when the archive and its checksum file are both published.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class UploadIntoDirectoryTest {

  @TempDir static Path shared;
  static MiniHdfs hdfs;
  static S3ProxyServer s3;
  static NginxServer nginx;

  @TempDir Path tmp;
  Path archive;
  final Map<String, String> env = new HashMap<>();
  String out;
  String err;

  @BeforeAll
  static void startStores() throws Exception {
    hdfs = MiniHdfs.start(shared.resolve("hdfs"), 1);
    s3 = S3ProxyServer.start(shared.resolve("s3"), "dists");
    nginx = NginxServer.start(shared.resolve("nginx"));
  }

  @AfterAll
  static void stopStores() throws IOException {
    List<Exception> failures = new ArrayList<>();
    for (AutoCloseable c : new AutoCloseable[] {nginx, s3, hdfs}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      throw new IOException("stopping the stores", failures.get(0));
    }
  }

  @BeforeEach
  void smallArchive() throws IOException {
    archive = tmp.resolve("small.tgz");
    byte[] data = new byte[300_000];
    new Random(16).nextBytes(data);
    Files.write(archive, data);
    env.put("FERRY_S3_SECRET_KEY", S3ProxyServer.SECRET_KEY);
  }

  private int upload(String uri) {
    String[] args = {"upload", archive.toString(), uri, "--retries", "0", "--s3-endpoint", s3.endpoint().toString(),
        "--s3-path-style", "--s3-region", S3ProxyServer.REGION, "--s3-access-key", S3ProxyServer.ACCESS_KEY};
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code = FerryPackage.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
        new PrintStream(e, true, StandardCharsets.UTF_8), env, false);
    out = o.toString(StandardCharsets.UTF_8);
    err = e.toString(StandardCharsets.UTF_8);
    return code;
  }

  /** The archive went in as {@code <dir>/small.tgz}, reported so, with its sidecar naming it. */
  private void publishedAs(String objectUri) {
    assertThat(out).as(err).startsWith(objectUri + " size=300000 sha512=");
    assertThat(err.lines().filter(l -> l.startsWith("done uploading"))).hasSize(1);
  }

  @Test
  void aLocalDirectoryEndingInSlashIsCreatedAndGetsTheFileUnderItsName() throws IOException {
    Path dir = tmp.resolve("some/dir");
    assertThat(upload(dir.toUri() + "/")).as(err).isZero();
    assertThat(dir).isDirectory();
    assertThat(Files.readAllBytes(dir.resolve("small.tgz"))).isEqualTo(Files.readAllBytes(archive));
    assertThat(Files.readString(dir.resolve("small.tgz.sha512"))).endsWith("  small.tgz\n");
    publishedAs(dir.resolve("small.tgz").toUri().toString());

    Path plain = tmp.resolve("plain");
    assertThat(upload(plain + "/")).as(err).isZero();
    assertThat(plain.resolve("small.tgz")).isRegularFile();
  }

  @Test
  void anExistingLocalDirectoryWithoutTheSlashGetsTheFileToo() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("releases"));
    assertThat(upload("file://" + dir)).as(err).isZero();
    assertThat(dir.resolve("small.tgz")).isRegularFile();
    assertThat(dir.resolve("small.tgz.sha512")).isRegularFile();
    assertThat(upload("file://" + dir)).as("a second time: the object inside exists").isEqualTo(ExitCodes.EXISTS);
  }

  @Test
  void hdfsDirectoriesWithAndWithoutTheSlash() throws IOException {
    FileSystem fs = hdfs.fileSystem();
    assertThat(upload(hdfs.uri("/ferry/new/").toString())).as(err).isZero();
    assertThat(fs.getFileStatus(new org.apache.hadoop.fs.Path("/ferry/new/small.tgz")).getLen()).isEqualTo(300_000);
    assertThat(fs.exists(new org.apache.hadoop.fs.Path("/ferry/new/small.tgz.sha512"))).isTrue();
    publishedAs(hdfs.uri("/ferry/new/small.tgz").toString());

    fs.mkdirs(new org.apache.hadoop.fs.Path("/ferry/existing"));
    assertThat(upload(hdfs.uri("/ferry/existing").toString())).as(err).isZero();
    assertThat(fs.getFileStatus(new org.apache.hadoop.fs.Path("/ferry/existing/small.tgz")).isFile()).isTrue();
  }

  @Test
  void s3PrefixesEndingInSlashAndFoldersThatHoldObjects() {
    assertThat(upload("s3a://dists/ferry/")).as(err).isZero();
    assertThat(s3.blobExists("ferry/small.tgz")).isTrue();
    assertThat(s3.blobExists("ferry/small.tgz.sha512")).isTrue();
    publishedAs("s3a://dists/ferry/small.tgz");

    assertThat(upload("s3://dists/")).as("the bucket's root").isZero();
    assertThat(s3.blobExists("small.tgz")).isTrue();

    // A "folder" that holds objects is a directory to S3A, and so to the packager.
    assertThat(upload("s3a://dists/releases/old/small.tgz")).as(err).isZero();
    assertThat(upload("s3n://dists/releases")).as(err).isZero();
    assertThat(s3.blobExists("releases/small.tgz")).isTrue();
    assertThat(s3.blobExists("releases/small.tgz.sha512")).isTrue();
    publishedAs("s3n://dists/releases/small.tgz");
  }

  @Test
  void httpDirectoriesEndingInSlashAndExistingOnes() throws IOException {
    String dav = nginx.uri(NginxServer.DAV).toString();
    assertThat(upload(dav + "drop/")).as(err).isZero();
    assertThat(Files.readAllBytes(nginx.file(NginxServer.DAV + "drop/small.tgz"))).isEqualTo(Files.readAllBytes(archive));
    assertThat(nginx.file(NginxServer.DAV + "drop/small.tgz.sha512")).isRegularFile();
    publishedAs(dav + "drop/small.tgz");

    Files.createDirectories(nginx.file(NginxServer.DAV + "existing"));
    assertThat(upload(dav + "existing")).as(err).isZero();
    assertThat(nginx.file(NginxServer.DAV + "existing/small.tgz")).isRegularFile();
  }

  @Test
  void doneIsReportedOnlyWhenTheChecksumFileIsPublishedToo() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("repo"));
    // Something that is not a file where the checksum must go: the archive goes up, the sidecar cannot.
    Files.createDirectories(dir.resolve("small.tgz.sha512/occupied"));
    int code = upload(dir.toUri().toString());
    assertThat(code).isNotZero();
    assertThat(err).doesNotContain("done uploading").contains("failed uploading")
        .contains("the archive was published but its checksum file was not");
    assertThat(out).isEmpty();
  }
}
