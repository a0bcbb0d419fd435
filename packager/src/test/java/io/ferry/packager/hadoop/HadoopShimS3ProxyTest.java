package io.ferry.packager.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.packager.testing.S3ProxyServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The calls Mesos's fetcher makes for an {@code s3a://} URI, against a real S3 API server, with the
 * settings in a {@code core-site.xml} as an agent operator writes them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HadoopShimS3ProxyTest {

  @TempDir Path tmp;
  S3ProxyServer s3;
  HadoopShim shim;
  byte[] archive;

  @BeforeEach
  void start() throws Exception {
    s3 = S3ProxyServer.start(tmp.resolve("s3"), "dists");
    Path conf = Files.createDirectories(tmp.resolve("conf"));
    Files.writeString(conf.resolve("core-site.xml"), "<configuration>\n"
        + prop("fs.s3a.endpoint", s3.endpoint().toString()) + prop("fs.s3a.path.style.access", "true")
        + prop("fs.s3a.endpoint.region", S3ProxyServer.REGION)
        + prop("fs.s3a.access.key", S3ProxyServer.ACCESS_KEY)
        + prop("fs.s3a.secret.key", S3ProxyServer.SECRET_KEY) + "</configuration>\n");
    shim = new HadoopShim(Map.of("HADOOP_CONF_DIR", conf.toString()), HadoopConfLoader::load,
        HadoopShim::openS3Store);
    archive = new byte[3_000_001];
    new Random(13).nextBytes(archive);
  }

  @AfterEach
  void stop() throws IOException {
    if (s3 != null) {
      s3.close();
    }
  }

  private static String prop(String name, String value) {
    return "<property><name>" + name + "</name><value>" + value + "</value></property>\n";
  }

  @Test
  void fetcherCallsRoundTripThroughS3() throws IOException {
    Path local = Files.write(tmp.resolve("ferry-1-bin.tgz"), archive);
    String uri = "s3a://dists/ferry/ferry-1-bin.tgz";

    assertThat(ShimRun.of(shim, "fs", "-test", "-e", uri).exit()).isEqualTo(1);
    ShimRun put = ShimRun.of(shim, "fs", "-copyFromLocal", local.toString(), uri);
    assertThat(put.exit()).as(put.describe()).isZero();
    assertThat(ShimRun.of(shim, "fs", "-test", "-e", uri).exit()).isZero();

    ShimRun du = ShimRun.of(shim, "fs", "-du", uri);
    assertThat(du.exit()).as(du.describe()).isZero();
    assertThat(MesosDuParser.size(du.out(), uri)).hasValue((long) archive.length);

    Path sandbox = Files.createDirectories(tmp.resolve("sandbox"));
    ShimRun get = ShimRun.of(shim, "fs", "-copyToLocal", uri, sandbox.resolve("ferry-1-bin.tgz").toString());
    assertThat(get.exit()).as(get.describe()).isZero();
    assertThat(Files.readAllBytes(sandbox.resolve("ferry-1-bin.tgz"))).isEqualTo(archive);
    try (var files = Files.list(sandbox)) {
      assertThat(files.toList()).hasSize(1);
    }

    assertThat(ShimRun.of(shim, "fs", "-rm", uri).exit()).isZero();
    assertThat(ShimRun.of(shim, "fs", "-test", "-e", uri).exit()).isEqualTo(1);
  }

  @Test
  void missingObjectFailsCopyToLocalLikeHadoop() {
    ShimRun get = ShimRun.of(shim, "fs", "-copyToLocal", "s3a://dists/nope.tgz", tmp.resolve("x.tgz").toString());
    assertThat(get.exit()).isEqualTo(1);
    assertThat(get.messages()).anySatisfy(line -> assertThat(line).startsWith("copyToLocal: ").contains("s3a://dists/nope.tgz"));
    assertThat(tmp.resolve("x.tgz")).doesNotExist();
  }
}
