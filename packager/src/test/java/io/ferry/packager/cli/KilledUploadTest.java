package io.ferry.packager.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.packager.Sha512;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry-package upload} killed with SIGKILL at random points: the final path holds either
 * nothing or the whole archive, never a part of it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KilledUploadTest {

  @TempDir Path tmp;

  @Test
  void killNineAtRandomPointsNeverLeavesAPartialObject() throws Exception {
    Path archive = tmp.resolve("ferry-k-bin.tgz");
    byte[] chunk = new byte[1 << 20];
    new Random(17).nextBytes(chunk);
    try (OutputStream out = Files.newOutputStream(archive)) {
      for (int i = 0; i < 160; i++) {
        out.write(chunk);
      }
    }
    String expected = Sha512.of(archive);
    Random random = new Random(23);
    int complete = 0;
    int absent = 0;
    for (int round = 0; round < 8; round++) {
      Path target = tmp.resolve("repo-" + round + "/ferry-k-bin.tgz");
      Process p = new ProcessBuilder(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"),
          FerryPackage.class.getName(), "upload", "--quiet", archive.toString(), target.toString()))
          .redirectErrorStream(true)
          .redirectOutput(tmp.resolve("out-" + round + ".log").toFile())
          .start();
      try {
        boolean exited = p.waitFor(100 + random.nextInt(700), TimeUnit.MILLISECONDS);
        if (!exited) {
          p.destroyForcibly();
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        p.destroyForcibly();
      }
      if (Files.exists(target)) {
        assertThat(Files.size(target)).isEqualTo(Files.size(archive));
        assertThat(Sha512.of(target)).isEqualTo(expected);
        complete++;
      } else {
        absent++;
      }
    }
    assertThat(complete + absent).isEqualTo(8);
  }

}
