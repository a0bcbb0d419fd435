package io.ferry.packager.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import io.ferry.packager.testing.MiniHdfs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code bin/hadoop} launch script, run as a child process the way a Mesos agent runs
 * it: {@code sh -c "<hadoop> version 2>&1"}, then {@code -du} and {@code -copyToLocal} with
 * stdin from {@code /dev/null}, against a MiniDFSCluster on loopback.
 */
@Timeout(240)
class HadoopScriptTest {

  private static final long CHILD_TIMEOUT_SECONDS = 90;

  @TempDir
  static Path base;

  private static MiniHdfs cluster;
  private static byte[] archive;

  @TempDir
  Path dir;

  @BeforeAll
  static void startHdfs() throws IOException {
    cluster = MiniHdfs.start(base.resolve("dfs"), 1);
    FileSystem fs = cluster.fileSystem();
    archive = new byte[1024 * 1024 + 3];
    new Random(11).nextBytes(archive);
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path("/x.tgz"))) {
      out.write(archive);
    }
  }

  @AfterAll
  static void stopHdfs() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Timeout(240)
  void theFetchersCallsWorkThroughTheLaunchScript() throws Exception {
    Path home = FerryHomeFixture.create(dir.resolve("ferry-1.0"));
    // Operators often link the script into PATH; it must still find its distribution.
    Path hadoop = Files.createSymbolicLink(Files.createDirectories(dir.resolve("agent-bin"))
        .resolve("hadoop"), home.resolve("bin/hadoop"));
    String uri = cluster.uri("/x.tgz").toString();
    Path sandbox = Files.createDirectories(dir.resolve("sandbox"));

    Child version = run("sh", "-c", hadoop + " version 2>&1");
    Child du = run(hadoop.toString(), "fs", "-du", uri);
    Child copy = run(hadoop.toString(), "fs", "-copyToLocal", uri, sandbox.resolve("x.tgz").toString());

    assertThat(version.exit()).as(version.describe()).isZero();
    assertThat(version.out().lines().findFirst()).hasValue("Hadoop 3.4.1");
    assertThat(du.exit()).as(du.describe()).isZero();
    assertThat(MesosDuParser.size(du.out(), uri)).as(du.describe()).hasValue(archive.length);
    assertThat(copy.exit()).as(copy.describe()).isZero();
    assertThat(copy.out()).as(copy.describe()).isEmpty();
    assertThat(copy.err()).as("nothing to warn about: " + copy.describe()).isEmpty();
    assertThat(Files.readAllBytes(sandbox.resolve("x.tgz"))).isEqualTo(archive);
    try (var files = Files.list(sandbox)) {
      assertThat(files).containsExactly(sandbox.resolve("x.tgz"));
    }
  }

  /** A finished child process. */
  private record Child(int exit, String out, String err) {
    String describe() {
      return "exit=" + exit + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
    }
  }

  private Child run(String... command) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(List.of(command))
        .redirectInput(new File("/dev/null"))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    Map<String, String> env = pb.environment();
    List.of("HADOOP_CONF_DIR", "HADOOP_HOME", "HADOOP_OPTS", "HADOOP_CLIENT_OPTS",
        "HADOOP_ROOT_LOGGER", "FERRY_HOME", "FERRY_JAVA_OPTS", "JAVA_TOOL_OPTIONS").forEach(env::remove);
    env.put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    try {
      if (!p.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError(
            "timed out after " + CHILD_TIMEOUT_SECONDS + " s: " + String.join(" ", command));
      }
      return new Child(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }
}
