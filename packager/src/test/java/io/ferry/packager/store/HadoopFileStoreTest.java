package io.ferry.packager.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.packager.Publisher;
import io.ferry.packager.Sha512;
import io.ferry.packager.Verifier;
import io.ferry.packager.testing.MiniHdfs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FsShell;
import org.apache.hadoop.util.ToolRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HadoopFileStoreTest {

  @TempDir static Path tmp;
  static MiniHdfs hdfs;
  static Path archive;

  @BeforeAll
  static void start() throws IOException {
    hdfs = MiniHdfs.start(tmp.resolve("hdfs"), 1);
    archive = tmp.resolve("ferry-1.0-bin.tgz");
    byte[] data = new byte[5_000_000];
    new Random(3).nextBytes(data);
    Files.write(archive, data);
  }

  @AfterAll
  static void stop() {
    if (hdfs != null) {
      hdfs.close();
    }
  }

  private Stores stores() {
    return new Stores(S3Options.DEFAULTS, HttpOptions.DEFAULTS, hdfs.clientConf(), RetryPolicy.NONE);
  }

  @Test
  void publishesArchiveAndSidecarAndVerifies() throws IOException {
    URI target = hdfs.uri("/dist/a/ferry-1.0-bin.tgz");
    Publisher.Result result = new Publisher(stores()).publish(archive, target, false, TransferListener.NONE);
    assertThat(result.sha512()).isEqualTo(Sha512.of(archive));
    assertThat(hdfs.fileSystem().exists(new org.apache.hadoop.fs.Path("/dist/a/ferry-1.0-bin.tgz.sha512"))).isTrue();
    assertThat(new Verifier(stores()).verify(target, TransferListener.NONE).sha512()).isEqualTo(result.sha512());
    var listing = hdfs.fileSystem().listStatus(new org.apache.hadoop.fs.Path("/dist/a"));
    assertThat(listing).hasSize(2)
        .allSatisfy(status -> assertThat(status.getPath().getName()).doesNotContain("_COPYING_"));
  }

  @Test
  void refusesToOverwriteUnlessAsked() throws IOException {
    URI target = hdfs.uri("/dist/b/ferry-1.0-bin.tgz");
    Publisher publisher = new Publisher(stores());
    publisher.publish(archive, target, false, TransferListener.NONE);
    assertThatThrownBy(() -> publisher.publish(archive, target, false, TransferListener.NONE))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.ALREADY_EXISTS))
        .hasMessageContaining("--overwrite").hasMessageContaining(target.toString());
    publisher.publish(archive, target, true, TransferListener.NONE);
  }

  @Test
  void archivePutWithHadoopsOwnShellVerifiesAndRoundTrips() throws Exception {
    Path sidecar = tmp.resolve("ferry-1.0-bin.tgz.sha512");
    Files.writeString(sidecar, Sha512.of(archive) + "  ferry-1.0-bin.tgz\n");
    String dir = hdfs.uri("/fsshell/").toString();
    FsShell shell = new FsShell(hdfs.clientConf());
    assertThat(ToolRunner.run(shell, new String[] {"-mkdir", "-p", dir})).isZero();
    assertThat(ToolRunner.run(shell, new String[] {"-put", archive.toString(), sidecar.toString(), dir})).isZero();
    URI target = hdfs.uri("/fsshell/ferry-1.0-bin.tgz");
    new Verifier(stores()).verify(target, TransferListener.NONE);
    Path back = tmp.resolve("back.tgz");
    assertThat(ToolRunner.run(shell, new String[] {"-copyToLocal", target.toString(), back.toString()})).isZero();
    assertThat(Files.readAllBytes(back)).isEqualTo(Files.readAllBytes(archive));
  }

  @Test
  void corruptedObjectFailsVerify() throws IOException {
    URI target = hdfs.uri("/dist/c/ferry-1.0-bin.tgz");
    new Publisher(stores()).publish(archive, target, false, TransferListener.NONE);
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(target);
    byte[] bytes;
    try (InputStream in = hdfs.fileSystem().open(p)) {
      bytes = in.readAllBytes();
    }
    bytes[bytes.length / 2] ^= 1;
    try (OutputStream out = hdfs.fileSystem().create(p, true)) {
      out.write(bytes);
    }
    assertThatThrownBy(() -> new Verifier(stores()).verify(target, TransferListener.NONE))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.CORRUPT))
        .hasMessageContaining("SHA-512 mismatch");
  }

  @Test
  void missingObjectAndMissingSidecarAreNamed() throws IOException {
    assertThatThrownBy(() -> new Verifier(stores()).verify(hdfs.uri("/nope/x.tgz"), TransferListener.NONE))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.NOT_FOUND));
    try (ObjectStore store = stores().forUri(hdfs.uri("/"))) {
      store.put(archive, hdfs.uri("/lonely/x.tgz"), false, TransferListener.NONE);
    }
    assertThatThrownBy(() -> new Verifier(stores()).verify(hdfs.uri("/lonely/x.tgz"), TransferListener.NONE))
        .hasMessageContaining("x.tgz.sha512").hasMessageContaining("no checksum file");
  }

  @Test
  void unreachableNamenodeFailsFastWithTheAddress() throws IOException {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    URI target = URI.create("hdfs://127.0.0.1:" + port + "/x/ferry.tgz");
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    conf.setInt("ipc.client.connect.max.retries", 0);
    Stores stores = new Stores(S3Options.DEFAULTS, HttpOptions.DEFAULTS, conf, RetryPolicy.NONE);
    assertThatThrownBy(() -> new Publisher(stores).publish(archive, target, false, TransferListener.NONE))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.UNREACHABLE))
        .hasMessageContaining("127.0.0.1:" + port);
  }
}
