package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.it.support.ChildProcess;
import io.ferry.it.support.Distribution;
import io.ferry.packager.Sha512;
import io.ferry.packager.testing.MiniHdfs;
import io.ferry.packager.testing.NginxServer;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code bin/ferry-package upload} of the real archive, killed with SIGKILL at random
 * points, to HDFS (MiniDFSCluster) and to nginx (WebDAV PUT): after every kill the final URI holds
 * either nothing or the whole archive (its SHA-512 checked), never a part of it; a later upload
 * still succeeds and {@code verify} accepts it.
 */
@Timeout(300)
class KilledUploadTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  static final int ROUNDS = 5;

  /** Reads what the store holds at the final URI, if anything. */
  interface Store {
    Optional<InputStream> open(String uri) throws Exception;
  }

  @Test
  void hdfs() throws Exception {
    try (MiniHdfs hdfs = MiniHdfs.start(dir.resolve("hdfs"), 1)) {
      FileSystem fs = hdfs.fileSystem();
      killAtRandomPoints(round -> hdfs.uri("/ferry/round-" + round + "/ferry.tgz").toString(), uri -> {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
        return fs.exists(p) ? Optional.of(fs.open(p)) : Optional.empty();
      });
    }
  }

  @Test
  void http() throws Exception {
    try (NginxServer nginx = NginxServer.start(dir.resolve("nginx"))) {
      killAtRandomPoints(round -> nginx.uri(NginxServer.DAV + "round-" + round + "/ferry.tgz").toString(), uri -> {
        Path file = nginx.root().resolve(URI.create(uri).getPath().substring(1));
        return Files.exists(file) ? Optional.of(Files.newInputStream(file)) : Optional.empty();
      });
    }
  }

  private void killAtRandomPoints(java.util.function.IntFunction<String> target, Store store) throws Exception {
    Distribution dist = Distribution.locate();
    Path archive = dist.buildArchive(Files.createDirectories(dir.resolve("archive")));
    String expected = Sha512.of(archive);
    Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"),
        "HADOOP_USER_NAME", System.getProperty("user.name"));

    // One whole upload, timed, to spread the kills over the upload's own length.
    long started = System.nanoTime();
    ChildProcess.Result whole = ChildProcess.run(dir.resolve("whole.log"), env, Duration.ofSeconds(120),
        List.of(dist.bin("ferry-package").toString(), "upload", archive.toString(), target.apply(0)));
    long wholeMs = (System.nanoTime() - started) / 1_000_000;
    assertThat(whole.exitCode()).as(whole.output()).isZero();
    assertThat(digest(store.open(target.apply(0)).orElseThrow())).isEqualTo(expected);

    Random random = new Random(wholeMs);
    List<String> outcomes = new ArrayList<>();
    int killed = 0;
    for (int round = 1; round <= ROUNDS; round++) {
      String uri = target.apply(round);
      long delay = wholeMs / 4 + (long) (random.nextDouble() * wholeMs);
      try (ChildProcess upload = ChildProcess.start(dir.resolve("upload-" + round + ".log"), env,
          List.of(dist.bin("ferry-package").toString(), "upload", archive.toString(), uri))) {
        if (!upload.process().waitFor(delay, TimeUnit.MILLISECONDS)) {
          upload.kill9();
          killed++;
        }
      }
      Optional<InputStream> object = store.open(uri);
      if (object.isPresent()) {
        assertThat(digest(object.get())).as("round %d: the object at %s after a kill at %d ms", round, uri, delay)
            .isEqualTo(expected);
        outcomes.add("whole");
      } else {
        outcomes.add("absent");
      }
      // Whatever the kill left behind, a new upload to the same URI completes and verifies.
      ChildProcess.Result again = ChildProcess.run(dir.resolve("again-" + round + ".log"), env,
          Duration.ofSeconds(120), List.of(dist.bin("ferry-package").toString(), "upload", "--overwrite",
              archive.toString(), uri));
      assertThat(again.exitCode()).as("upload after the kill:\n%s", again.output()).isZero();
      ChildProcess.Result verify = ChildProcess.run(dir.resolve("verify-" + round + ".log"), env,
          Duration.ofSeconds(60), List.of(dist.bin("ferry-package").toString(), "verify", uri));
      assertThat(verify.exitCode()).as("verify:\n%s", verify.output()).isZero();
    }
    assertThat(killed).as("uploads killed before they finished (outcomes %s)", outcomes).isGreaterThan(0);
  }

  private static String digest(InputStream in) throws Exception {
    try (in) {
      return Sha512.of(in);
    }
  }
}
