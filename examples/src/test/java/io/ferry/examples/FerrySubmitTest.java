package io.ferry.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.driver.submit.FerrySubmit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry-submit}'s exit codes and one-line errors. */
@Timeout(120)
class FerrySubmitTest {
  @TempDir static Path dir;
  private Path appJar;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void jarOfTheExamples() throws Exception {
    System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("ferry.")).forEach(System::clearProperty);
    appJar = dir.resolve("examples.jar");
    if (Files.exists(appJar)) {
      return;
    }
    Path classes = Path.of(Pi.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(appJar)); Stream<Path> files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString()));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
  }

  @AfterEach
  void clear() {
    System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("ferry.")).forEach(System::clearProperty);
  }

  private int submit(String... argv) {
    return FerrySubmit.run(argv, new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void piOnLocalThreads() {
    assertThat(submit("--master", "local[2]", "--class", "io.ferry.examples.Pi", appJar.toString(), "4", "20000"))
        .as(stderr()).isZero();
  }

  @Test
  void aBadMasterUrlIsOneLineAndExitTwo() {
    assertThat(submit("--master", "yarn", "--class", "io.ferry.examples.Pi", appJar.toString())).isEqualTo(2);
    assertThat(stderr()).contains("ferry.master: 'yarn'").contains("local-cluster[agents,cpus,memMB]");
    assertThat(stderr().strip().lines().count()).isLessThanOrEqualTo(2);
  }

  @Test
  void aMissingExecutorUriIsOneLine() {
    assertThat(submit("--master", "mesos://127.0.0.1:5050", "--class", "io.ferry.examples.Pi", appJar.toString()))
        .isEqualTo(2);
    assertThat(stderr().strip()).startsWith("ferry-submit: ").contains("ferry.executor.uri: missing").doesNotContain("\n");
  }

  @Test
  void anUnreachableMasterFailsTheJobWithOneLine() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    int code = submit("--master", "mesos://127.0.0.1:" + port, "--executor-uri", "file:///tmp/ferry-0.1.0-bin.tgz",
        "--conf", "ferry.mesos.registrationTimeout=3s", "--conf", "ferry.driver.host=127.0.0.1",
        "--class", "io.ferry.examples.Pi", appJar.toString());
    assertThat(code).isEqualTo(1);
    String first = stderr().lines().filter(l -> l.startsWith("ferry-submit:")).findFirst().orElseThrow();
    assertThat(first).contains("127.0.0.1:" + port);
    assertThat(stderr()).doesNotContain("\tat ");
  }

  /** local-cluster's agents are known up front: an executor none can hold is refused before anything starts. */
  @Test
  void aLocalClusterTooSmallForTheExecutorIsExitTwoNamingTheSizes() {
    int code = submit("--master", "local-cluster[2,2,1024]", "--executor-uri", "file:///tmp/ferry-0.1.0-bin.tgz",
        "--conf", "ferry.executor.memory=4g", "--class", "io.ferry.examples.Pi", appJar.toString());
    assertThat(code).as(stderr()).isEqualTo(2);
    assertThat(stderr()).contains("local-cluster[2,2,1024] cannot run one executor")
        .contains("mem 4505 MB (ferry.executor.memory 4096m + ferry.executor.memoryOverhead 409m)")
        .contains("an agent has 1024 MB").doesNotContain("\tat ");
  }

  @Test
  void anUnknownClassIsNamed() {
    assertThat(submit("--master", "local[1]", "--class", "io.ferry.examples.Nope", appJar.toString())).isEqualTo(2);
    assertThat(stderr()).contains("class io.ferry.examples.Nope is not in");
  }
}
