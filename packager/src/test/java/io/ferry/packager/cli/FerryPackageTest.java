package io.ferry.packager.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FerryPackageTest {

  @TempDir Path tmp;
  Path dist;
  final Map<String, String> env = new HashMap<>();
  String out;
  String err;

  @BeforeEach
  void makeDist() throws IOException {
    dist = Files.createDirectories(tmp.resolve("dist/bin"));
    Files.writeString(dist.resolve("tool"), "#!/bin/sh\n");
    Files.writeString(tmp.resolve("dist/README"), "hello\n");
  }

  private int run(String... args) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code = FerryPackage.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
        new PrintStream(e, true, StandardCharsets.UTF_8), env, false);
    out = o.toString(StandardCharsets.UTF_8);
    err = e.toString(StandardCharsets.UTF_8);
    return code;
  }

  private Path buildArchive() {
    Path tgz = tmp.resolve("ferry-9-bin.tgz");
    assertThat(run("build", tmp.resolve("dist").toString(), "--out", tgz.toString(), "--source-date-epoch", "1700000000"))
        .as(err).isZero();
    return tgz;
  }

  @Test
  void buildUploadVerifyToAPlainPathAndAFileUri() throws IOException {
    Path tgz = buildArchive();
    assertThat(tmp.resolve("ferry-9-bin.tgz.sha512")).exists();
    Path repo = tmp.resolve("repo");
    assertThat(run("upload", tgz.toString(), repo.resolve("a/ferry-9-bin.tgz").toString())).as(err).isZero();
    assertThat(err).contains("uploading").contains("done uploading");
    assertThat(Files.readAllBytes(repo.resolve("a/ferry-9-bin.tgz"))).isEqualTo(Files.readAllBytes(tgz));
    assertThat(Files.readString(repo.resolve("a/ferry-9-bin.tgz.sha512"))).endsWith("  ferry-9-bin.tgz\n");
    assertThat(run("verify", repo.resolve("a/ferry-9-bin.tgz").toUri().toString())).as(err).isZero();
    assertThat(out).startsWith("OK file:");
    assertThat(run("upload", "--quiet", tgz.toString(), "file://" + repo.resolve("b/renamed.tgz"))).as(err).isZero();
    assertThat(err).isEmpty();
    assertThat(Files.readString(repo.resolve("b/renamed.tgz.sha512"))).endsWith("  renamed.tgz\n");
  }

  @Test
  void existingObjectIsRefusedUnlessOverwrite() {
    Path tgz = buildArchive();
    String target = tmp.resolve("repo/ferry-9-bin.tgz").toString();
    assertThat(run("upload", tgz.toString(), target)).isZero();
    assertThat(run("upload", tgz.toString(), target)).isEqualTo(ExitCodes.EXISTS);
    assertThat(err.lines().filter(l -> !l.startsWith("uploading") && !l.startsWith("failed")))
        .containsExactly("ferry-package: upload file://" + target + ": an object already exists; pass --overwrite to replace it");
    assertThat(run("upload", "--overwrite", tgz.toString(), target)).isZero();
  }

  @Test
  void corruptedObjectFailsVerifyWithExitCode7() throws IOException {
    Path tgz = buildArchive();
    Path target = tmp.resolve("repo/ferry-9-bin.tgz");
    assertThat(run("upload", tgz.toString(), target.toString())).isZero();
    byte[] bytes = Files.readAllBytes(target);
    bytes[bytes.length / 2] ^= 0x20;
    Files.write(target, bytes);
    assertThat(run("verify", target.toString())).isEqualTo(ExitCodes.CORRUPT);
    assertThat(err).contains("SHA-512 mismatch").contains("--overwrite");
  }

  @Test
  void badInputGetsOneLineAndItsExitCode() {
    assertThat(run("upload", tmp.resolve("missing.tgz").toString(), tmp.resolve("x.tgz").toString()))
        .isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(err.strip()).startsWith("ferry-package: read file:").contains("missing.tgz").doesNotContain("\n");
    Path tgz = buildArchive();
    assertThat(run("upload", tgz.toString(), "gopher://host/x.tgz")).isEqualTo(ExitCodes.USAGE);
    assertThat(err).contains("unknown scheme 'gopher'");
    assertThat(run("verify", tmp.resolve("nothing-here.tgz").toString())).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(run("upload")).isEqualTo(ExitCodes.USAGE);
    assertThat(run()).isEqualTo(ExitCodes.USAGE);
    assertThat(err).contains("build").contains("upload").contains("verify");
    assertThat(run("build", tmp.resolve("dist").toString(), "--out", tmp.resolve("x.zip").toString()))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err).contains(".tgz");
    env.put("SOURCE_DATE_EPOCH", "yesterday");
    assertThat(run("build", tmp.resolve("dist").toString(), "--out", tmp.resolve("y.tgz").toString()))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err).contains("SOURCE_DATE_EPOCH: 'yesterday'");
  }

  @Test
  void secretsFromTheEnvironmentNeverShowInErrors() {
    Path tgz = buildArchive();
    env.put("FERRY_HTTP_PASSWORD", "hunter2-secret");
    env.put("FERRY_S3_SECRET_KEY", "s3-very-secret");
    run("upload", "--http-user", "bob", tgz.toString(), "http://user:pw-in-uri@127.0.0.1:1/x.tgz?sig=abc", "--retries", "0");
    assertThat(err).doesNotContain("hunter2-secret").doesNotContain("pw-in-uri").doesNotContain("sig=abc");
  }

  @Test
  void helpAndVersion() {
    assertThat(run("--help")).isZero();
    assertThat(out).contains("Exit codes").contains("upload");
    assertThat(run("--version")).isZero();
    assertThat(out).startsWith("ferry-package ");
    assertThat(run("upload", "--help")).isZero();
    assertThat(out).contains("--overwrite").contains("--s3-endpoint").contains("--http-token-file");
  }
}
