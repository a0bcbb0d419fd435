package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.driver.FerryContext;
import io.ferry.it.support.AppJar;
import io.ferry.it.support.ChildProcess;
import io.ferry.it.support.Distribution;
import io.ferry.it.support.FetcherHadoopConf;
import io.ferry.it.support.Jobs;
import io.ferry.packager.testing.MiniHdfs;
import io.ferry.packager.testing.NginxServer;
import io.ferry.packager.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FsShell;
import org.apache.hadoop.util.ToolRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The way users run Ferry: the distribution's archive is published with the real
 * {@code bin/ferry-package upload} to HDFS (MiniDFSCluster), S3 (S3Proxy, as {@code s3a://}) and
 * nginx ({@code http://}, WebDAV PUT), or with Hadoop's own {@code FsShell -put}; mesos-local's
 * agents fetch it from there, unpack it and start {@code bin/ferry-executor}; Pi runs in both
 * modes with task classes from an application jar, and every slice's count is checked.
 */
@Timeout(300)
class PublishAndRunTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) static Path dir;
  static Distribution dist;
  static Path archive;
  static Path appJar;
  static MiniHdfs hdfs;
  static S3ProxyServer s3;
  static NginxServer nginx;

  @BeforeAll
  static void publishTargets() throws Exception {
    dist = Distribution.locate();
    archive = dist.buildArchive(Files.createDirectories(dir.resolve("archive")));
    appJar = AppJar.build(Files.createDirectories(dir.resolve("app")));
    hdfs = MiniHdfs.start(dir.resolve("hdfs"), 1);
    s3 = S3ProxyServer.start(Files.createDirectories(dir.resolve("s3")), "ferry-it");
    nginx = NginxServer.start(dir.resolve("nginx"));
  }

  @AfterAll
  static void stopTargets() throws Exception {
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
    FetcherHadoopConf.clear();
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
  }

  private static ChildProcess.Result ferryPackage(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(dist.bin("ferry-package").toString()));
    command.addAll(List.of(args));
    Map<String, String> e = new java.util.HashMap<>(env);
    e.put("JAVA_HOME", System.getProperty("java.home"));
    return ChildProcess.run(Files.createTempFile(dir, "ferry-package", ".log"), e, Duration.ofSeconds(120), command);
  }

  private static void upload(String uri, Map<String, String> env, String... flags) throws Exception {
    List<String> args = new ArrayList<>(List.of("upload", archive.toString(), uri));
    args.addAll(List.of(flags));
    ChildProcess.Result r = ferryPackage(env, args.toArray(String[]::new));
    assertThat(r.exitCode()).as("ferry-package upload %s:\n%s", uri, r.output()).isZero();
    ChildProcess.Result v = ferryPackage(env, with(List.of("verify", uri), flags));
    assertThat(v.exitCode()).as("ferry-package verify %s:\n%s", uri, v.output()).isZero();
  }

  private static String[] with(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all.toArray(String[]::new);
  }

  /** Pi on a fresh local-cluster in fine, then coarse mode, executors fetched from {@code uri}. */
  private static void runPiBothModes(String uri, String name) throws Exception {
    for (boolean coarse : new boolean[] {false, true}) {
      Map<String, String> settings = Jobs.settings("local-cluster[2,2,1024]", uri, coarse, appJar,
          Files.createDirectories(dir.resolve("work-" + name + "-" + coarse)));
      try (FerryContext ferry = FerryContext.create(settings)) {
        Jobs.runPi(ferry, 8, 200_000);
      }
    }
  }

  @Test
  void hdfsPublishedByFerryPackage() throws Exception {
    FetcherHadoopConf.clear();
    String uri = hdfs.uri("/ferry/pkg/" + archive.getFileName()).toString();
    upload(uri, Map.of("HADOOP_USER_NAME", System.getProperty("user.name")));
    runPiBothModes(uri, "hdfs");
  }

  @Test
  void s3aPublishedByFerryPackage() throws Exception {
    FetcherHadoopConf.writeFor(s3);
    String uri = "s3a://" + s3.bucket() + "/ferry/" + archive.getFileName();
    upload(uri, Map.of("FERRY_S3_SECRET_KEY", S3ProxyServer.SECRET_KEY), "--s3-endpoint", s3.endpoint().toString(),
        "--s3-path-style", "--s3-region", S3ProxyServer.REGION, "--s3-access-key", S3ProxyServer.ACCESS_KEY);
    runPiBothModes(uri, "s3a");
  }

  @Test
  void httpPublishedByFerryPackage() throws Exception {
    String uri = nginx.uri(NginxServer.DAV + "ferry/" + archive.getFileName()).toString();
    upload(uri, Map.of());
    runPiBothModes(uri, "http");
  }

  @Test
  void hdfsPutByHadoopsOwnFsShell() throws Exception {
    FetcherHadoopConf.clear();
    String uri = hdfs.uri("/ferry/fsshell/" + archive.getFileName()).toString();
    Configuration conf = hdfs.clientConf();
    int code = ToolRunner.run(conf, new FsShell(conf), new String[] {"-mkdir", "-p", hdfs.uri("/ferry/fsshell").toString()});
    assertThat(code).isZero();
    code = ToolRunner.run(conf, new FsShell(conf), new String[] {"-put", archive.toString(), uri});
    assertThat(code).as("FsShell -put").isZero();
    runPiBothModes(uri, "fsshell");
  }
}
