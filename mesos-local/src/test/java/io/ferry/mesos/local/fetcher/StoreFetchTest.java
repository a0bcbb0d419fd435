package io.ferry.mesos.local.fetcher;

import static io.ferry.mesos.local.fetcher.SandboxFixture.uri;
import static io.ferry.mesos.local.fetcher.SandboxFixture.uriBuilder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.packager.store.RetryPolicy;
import io.ferry.packager.testing.MiniHdfs;
import io.ferry.packager.testing.S3ProxyServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code hdfs://} against a MiniDFSCluster and {@code s3a://} against S3Proxy, read through the
 * packager's stores where Mesos would run {@code hadoop fs -copyToLocal}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StoreFetchTest {

  private static final String BUCKET = "ferry-apps";

  @TempDir
  static Path serversDir;

  private static MiniHdfs hdfs;
  private static S3ProxyServer s3;

  @TempDir
  Path tmp;

  private SandboxFixture world;
  private Fetcher fetcher;

  @BeforeAll
  static void startServers() throws Exception {
    hdfs = MiniHdfs.start(serversDir.resolve("hdfs"), 1);
    s3 = S3ProxyServer.start(serversDir.resolve("s3"), BUCKET);
  }

  @AfterAll
  static void stopServers() throws IOException {
    try {
      if (s3 != null) {
        s3.close();
      }
    } finally {
      if (hdfs != null) {
        hdfs.close();
      }
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    world = SandboxFixture.create(tmp);
    fetcher = Fetcher.builder().hadoopConf(conf()).retryPolicy(RetryPolicy.NONE).build();
  }

  @AfterEach
  void tearDown() {
    fetcher.close();
  }

  /** What an operator's core-site.xml would hold: the namenode, and S3A keys for S3Proxy. */
  private static Configuration conf() {
    Configuration conf = hdfs.clientConf();
    conf.set("fs.s3a.endpoint", s3.endpoint().toString());
    conf.set("fs.s3a.endpoint.region", S3ProxyServer.REGION);
    conf.set("fs.s3a.path.style.access", "true");
    conf.set("fs.s3a.access.key", S3ProxyServer.ACCESS_KEY);
    conf.set("fs.s3a.secret.key", S3ProxyServer.SECRET_KEY);
    return conf;
  }

  private Path appTgz() throws IOException {
    return TestArchives.tar().file("bin/run", "#!/bin/sh\necho hi\n", 0755).file("lib/a.jar", "PK")
        .writeTo(world.source("app.tgz"));
  }

  @Test
  void hdfsTgzIsFetchedAndExtracted() throws Exception {
    hdfs.fileSystem().copyFromLocalFile(new org.apache.hadoop.fs.Path(appTgz().toUri()),
        new org.apache.hadoop.fs.Path("/apps/app.tgz"));

    world.fetch(fetcher, uri(hdfs.uri("/apps/app.tgz").toString()));

    assertThat(world.inSandbox("app.tgz")).isRegularFile();
    assertThat(Files.isExecutable(world.inSandbox("bin/run"))).isTrue();
    assertThat(world.read("lib/a.jar")).isEqualTo("PK");
  }

  @Test
  void hdfsThroughTheCacheUsesTheStoresSize() throws Exception {
    Path local = appTgz();
    hdfs.fileSystem().copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()),
        new org.apache.hadoop.fs.Path("/apps/cached.tgz"));
    FetcherCache cache = FetcherCache.builder(tmp.resolve("cache")).wipe(true).build();

    try (Fetcher caching = Fetcher.builder().hadoopConf(conf()).cache(cache).build()) {
      world.fetch(caching, uriBuilder(hdfs.uri("/apps/cached.tgz").toString()).setCache(true)
          .build());
    }

    assertThat(world.read("lib/a.jar")).isEqualTo("PK");
    assertThat(cache.usedBytes()).isEqualTo(Files.size(local));
  }

  @Test
  void hdfsMissingFileFails() {
    String missing = hdfs.uri("/apps/missing.tgz").toString();

    assertThatThrownBy(() -> world.fetch(fetcher, uri(missing)))
        .hasMessageStartingWith("Failed to fetch '" + missing + "': ")
        .hasMessageContaining("no such file");
  }

  @Test
  void s3aTgzIsFetchedAndExtracted() throws Exception {
    Path local = appTgz();
    try (S3Client client = s3.newClient()) {
      client.putObject(r -> r.bucket(BUCKET).key("apps/app.tgz"), RequestBody.fromFile(local));
    }

    world.fetch(fetcher, uri("s3a://" + BUCKET + "/apps/app.tgz"));

    assertThat(Files.isExecutable(world.inSandbox("bin/run"))).isTrue();
    assertThat(world.read("lib/a.jar")).isEqualTo("PK");
  }

  @Test
  void s3aMissingKeyFails() {
    assertThatThrownBy(() -> world.fetch(fetcher, uri("s3a://" + BUCKET + "/apps/none.tgz")))
        .hasMessageStartingWith("Failed to fetch 's3a://" + BUCKET + "/apps/none.tgz': ")
        .hasMessageContaining("no such object");
    assertThat(world.inSandbox("none.tgz")).doesNotExist();
  }

  @Test
  void s3aWithAWrongSecretFails() throws Exception {
    Configuration wrong = conf();
    wrong.set("fs.s3a.secret.key", "not-the-secret");
    try (Fetcher denied = Fetcher.builder().hadoopConf(wrong).retryPolicy(RetryPolicy.NONE)
        .build()) {
      assertThatThrownBy(() -> world.fetch(denied, uri("s3a://" + BUCKET + "/apps/app.tgz")))
          .isInstanceOf(FetchException.class)
          .hasMessageContaining("access denied")
          .hasMessageContaining("fs.s3a.secret.key")
          .hasMessageNotContaining("not-the-secret");
    }
  }
}
