package io.ferry.packager.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import io.ferry.packager.testing.MiniHdfs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shim against a real HDFS (MiniDFSCluster, one datanode, on loopback): the exact calls of
 * the Mesos fetcher, run in-process, with Hadoop's FsShell behind them.
 */
@Timeout(120)
class HadoopShimHdfsTest {

  @TempDir
  static Path base;

  private static MiniHdfs cluster;
  private static FileSystem fs;
  private static String root;
  private static byte[] archive;

  @TempDir
  Path dir;

  private final HadoopShim shim =
      new HadoopShim(Map.of(), HadoopConfLoader::load, (uri, conf) -> {
        throw new AssertionError("no S3 in this test: " + uri);
      });

  @BeforeAll
  static void startHdfs() throws IOException {
    cluster = MiniHdfs.start(base.resolve("dfs"), 1);
    fs = cluster.fileSystem();
    root = cluster.uri().toString();
    archive = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(archive);
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path("/dist/ferry-1.0-bin.tgz"))) {
      out.write(archive);
    }
  }

  @AfterAll
  static void stopHdfs() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private ShimRun fs(String... args) {
    String[] argv = new String[args.length + 1];
    argv[0] = "fs";
    System.arraycopy(args, 0, argv, 1, args.length);
    return ShimRun.of(shim, argv);
  }

  private static String uri(String path) {
    return root + path;
  }

  @Test
  @Timeout(30)
  void versionExitsZeroWithHadoopsVersionFirst() {
    ShimRun run = ShimRun.of(shim, "version");

    assertThat(run.exit()).isZero();
    assertThat(run.out().lines().findFirst()).hasValue("Hadoop 3.4.1");
    assertThat(run.out()).contains("Ferry's bin/hadoop shim");
  }

  @Test
  @Timeout(60)
  void testExistsOnExistingAndMissingPaths() {
    ShimRun present = fs("-test", "-e", uri("/dist/ferry-1.0-bin.tgz"));
    ShimRun missing = fs("-test", "-e", uri("/dist/nope.tgz"));

    assertThat(present.exit()).as(present.describe()).isZero();
    assertThat(missing.exit()).as(missing.describe()).isEqualTo(1);
    assertThat(present.out() + missing.out()).isEmpty();
  }

  @Test
  @Timeout(60)
  void duOutputParsesTheWayMesosParsesIt() {
    String uri = uri("/dist/ferry-1.0-bin.tgz");

    ShimRun run = fs("-du", uri);

    assertThat(run.exit()).as(run.describe()).isZero();
    assertThat(MesosDuParser.size(run.out(), uri)).as(run.describe()).hasValue(archive.length);
  }

  @Test
  @Timeout(60)
  void copyToLocalIsByteIdenticalAndLeavesNoSideFiles() throws IOException {
    Path dest = dir.resolve("ferry-1.0-bin.tgz");

    ShimRun run = fs("-copyToLocal", uri("/dist/ferry-1.0-bin.tgz"), dest.toString());

    assertThat(run.exit()).as(run.describe()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(Files.readAllBytes(dest)).isEqualTo(archive);
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(dest);
    }
  }

  @Test
  @Timeout(60)
  void copyToLocalOfAMissingPathNamesIt() {
    String uri = uri("/dist/nope.tgz");

    ShimRun run = fs("-copyToLocal", uri, dir.resolve("nope.tgz").toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.messages()).containsExactly("copyToLocal: `" + uri + "': No such file or directory");
  }

  @Test
  @Timeout(60)
  void copyFromLocalPutLsAndRm() throws IOException {
    Path local = Files.writeString(dir.resolve("app.jar"), "jar bytes");
    String first = uri("/apps/app.jar");
    String second = uri("/apps/app-copy.jar");
    fs.mkdirs(new org.apache.hadoop.fs.Path("/apps"));

    ShimRun copied = fs("-copyFromLocal", local.toString(), first);
    ShimRun put = fs("-put", local.toString(), second);
    ShimRun listed = fs("-ls", first);
    ShimRun removed = fs("-rm", first);

    assertThat(copied.exit()).as(copied.describe()).isZero();
    assertThat(put.exit()).as(put.describe()).isZero();
    assertThat(read("/apps/app-copy.jar")).isEqualTo("jar bytes");
    assertThat(listed.exit()).as(listed.describe()).isZero();
    assertThat(listed.out()).matches("-rw-r--r--\\s+\\d+ \\S+ \\S+\\s+9 .* " + first + "\n");
    assertThat(removed.exit()).as(removed.describe()).isZero();
    assertThat(removed.out()).isEqualTo("Deleted " + first + "\n");
    assertThat(fs.exists(new org.apache.hadoop.fs.Path("/apps/app.jar"))).isFalse();
  }

  @Test
  @Timeout(60)
  void anUnreachableNamenodeFailsWithHadoopsMessage() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }

    ShimRun run = fs("-test", "-e", "hdfs://127.0.0.1:" + closedPort + "/x.tgz");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.messages()).singleElement().asString()
        .startsWith("test: ").contains(":" + closedPort).contains("Connection refused");
  }

  private static String read(String path) throws IOException {
    try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(path))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
