package io.ferry.packager.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.packager.testing.S3ProxyServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry-package upload/verify} against a real S3 API server, configured by flags and env. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class S3UploadCommandTest {

  @TempDir Path tmp;
  S3ProxyServer s3;
  Path archive;
  final Map<String, String> env = new HashMap<>();
  String err;

  @BeforeEach
  void start() throws Exception {
    s3 = S3ProxyServer.start(tmp.resolve("s3"), "dists");
    archive = tmp.resolve("ferry-2-bin.tgz");
    byte[] data = new byte[2_000_000];
    new Random(9).nextBytes(data);
    Files.write(archive, data);
    env.put("FERRY_S3_SECRET_KEY", S3ProxyServer.SECRET_KEY);
  }

  @AfterEach
  void stop() throws IOException {
    if (s3 != null) {
      s3.close();
    }
  }

  private int run(String... args) {
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code = FerryPackage.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(e, true, StandardCharsets.UTF_8), env, false);
    err = e.toString(StandardCharsets.UTF_8);
    return code;
  }

  private String[] s3Flags(String... rest) {
    String[] flags = {"--s3-endpoint", s3.endpoint().toString(), "--s3-path-style", "--s3-region", "us-east-1",
        "--s3-access-key", S3ProxyServer.ACCESS_KEY, "--retries", "0"};
    String[] all = new String[rest.length + flags.length];
    System.arraycopy(rest, 0, all, 0, rest.length);
    System.arraycopy(flags, 0, all, rest.length, flags.length);
    return all;
  }

  @Test
  void uploadsAndVerifiesWithEveryS3Scheme() {
    assertThat(run(s3Flags("upload", archive.toString(), "s3a://dists/ferry/ferry-2-bin.tgz"))).as(err).isZero();
    assertThat(s3.blobExists("ferry/ferry-2-bin.tgz")).isTrue();
    assertThat(s3.blobExists("ferry/ferry-2-bin.tgz.sha512")).isTrue();
    assertThat(run(s3Flags("verify", "s3n://dists/ferry/ferry-2-bin.tgz"))).as(err).isZero();
    assertThat(run(s3Flags("verify", "s3://dists/ferry/ferry-2-bin.tgz"))).as(err).isZero();
    assertThat(run(s3Flags("upload", archive.toString(), "s3://dists/ferry/ferry-2-bin.tgz"))).isEqualTo(ExitCodes.EXISTS);
  }

  @Test
  void wrongSecretIsAnAuthErrorThatDoesNotPrintTheSecret() {
    env.put("FERRY_S3_SECRET_KEY", "definitely-wrong-secret");
    assertThat(run(s3Flags("upload", archive.toString(), "s3a://dists/x/ferry-2-bin.tgz"))).isEqualTo(ExitCodes.AUTH);
    assertThat(err).contains("s3a://dists/x/ferry-2-bin.tgz").doesNotContain("definitely-wrong-secret");
    assertThat(s3.blobExists("x/ferry-2-bin.tgz")).isFalse();
  }

  @Test
  void secretFromAFile() throws IOException {
    env.remove("FERRY_S3_SECRET_KEY");
    Path secret = tmp.resolve("secret");
    Files.writeString(secret, S3ProxyServer.SECRET_KEY + "\n");
    String[] args = s3Flags("upload", archive.toString(), "s3a://dists/f/ferry-2-bin.tgz", "--s3-secret-key-file", secret.toString());
    assertThat(run(args)).as(err).isZero();
    assertThat(run(s3Flags("upload", archive.toString(), "s3a://dists/g/ferry-2-bin.tgz", "--s3-secret-key-file",
        tmp.resolve("missing").toString()))).isEqualTo(ExitCodes.USAGE);
    assertThat(err).contains("--s3-secret-key-file").contains("does not exist");
  }

  @Test
  void settingsFromCoreSiteXmlAsAgentsHaveThem() throws IOException {
    env.remove("FERRY_S3_SECRET_KEY");
    Path confDir = Files.createDirectories(tmp.resolve("hadoop-conf"));
    Files.writeString(confDir.resolve("core-site.xml"), "<configuration>\n"
        + prop("fs.s3a.endpoint", s3.endpoint().toString()) + prop("fs.s3a.path.style.access", "true")
        + prop("fs.s3a.endpoint.region", "us-east-1") + prop("fs.s3a.access.key", S3ProxyServer.ACCESS_KEY)
        + prop("fs.s3a.secret.key", S3ProxyServer.SECRET_KEY) + "</configuration>\n");
    env.put("HADOOP_CONF_DIR", confDir.toString());
    assertThat(run("upload", "--retries", "0", archive.toString(), "s3a://dists/conf/ferry-2-bin.tgz")).as(err).isZero();
    assertThat(run("verify", "s3a://dists/conf/ferry-2-bin.tgz")).as(err).isZero();
    assertThat(err).doesNotContain(S3ProxyServer.SECRET_KEY);
  }

  private static String prop(String name, String value) {
    return "<property><name>" + name + "</name><value>" + value + "</value></property>\n";
  }

  @Test
  void missingBucketIsNamed() {
    assertThat(run(s3Flags("upload", archive.toString(), "s3a://no-such-bucket/ferry-2-bin.tgz"))).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(err).contains("no-such-bucket");
  }
}
