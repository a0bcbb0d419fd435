package io.ferry.shell.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.driver.FerryContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What {@code ferry-shell} does before JShell starts: options, configuration, a driver that cannot start. */
@Timeout(60)
class ShellMainTest {

  private record Result(int code, String err) {}

  private static Result run(String... argv) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int code = ShellMain.run(argv, err);
    return new Result(code, bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void anUnknownOptionIsNamedAndExits2() {
    Result r = run("--mastre", "local[1]");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("ferry-shell: Unknown options: '--mastre', 'local[1]'").contains("Run 'ferry-shell --help'");
  }

  @Test
  void aFlagWithoutItsValueIsNamed() {
    Result r = run("--master");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("ferry-shell: Missing required parameter for option '--master'");
  }

  @Test
  void aBadSettingIsNamedBeforeAnythingStarts() {
    Result r = run("--master", "local[1]", "--conf", "ferry.mesos.coarse=maybe", "--conf", "ferry.task.maxFailurs=3");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("ferry-shell: ").contains("ferry.mesos.coarse").contains("maybe")
        .contains("ferry.task.maxFailurs").contains("ferry.task.maxFailures");
  }

  @Test
  void aJarThatIsNotOneIsNamed() throws Exception {
    java.nio.file.Path notAJar = java.nio.file.Files.createTempFile("not-a-jar", ".jar");
    try {
      java.nio.file.Files.writeString(notAJar, "text");
      Result r = run("--master", "local[1]", "--jars", notAJar.toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).startsWith("ferry-shell: --jars entry " + notAJar + " is not a jar");
    } finally {
      java.nio.file.Files.deleteIfExists(notAJar);
    }
  }

  @Test
  void anUnreachableMasterIsOneLineAndExits2() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    Result r = run("--master", "mesos://127.0.0.1:" + port, "--executor-uri", "file:///nonexistent/ferry.tgz",
        "--conf", "ferry.driver.host=127.0.0.1", "--conf", "ferry.driver.bindAddress=127.0.0.1",
        "--conf", "ferry.mesos.registrationTimeout=2s");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).startsWith("ferry-shell: the driver did not start: cannot subscribe to the Mesos master at 127.0.0.1:"
        + port + " within 2s").doesNotContain("\tat ");
  }

  @Test
  void closingTwiceClosesTheContextOnce() throws Exception {
    FerryContext context = FerryContext.create(Map.of("ferry.master", "local[1]"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ShellClose close = new ShellClose(context, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    close.close();
    close.close();
    assertThat(context.state()).isEqualTo(FerryContext.State.CLOSED);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("[ferry] FerryContext closed" + System.lineSeparator());
  }

  @Test
  void theBannerOfALocalMasterSaysThereIsNoMesos() throws Exception {
    try (FerryContext context = FerryContext.create(Map.of("ferry.master", "local[2]"))) {
      assertThat(Banner.lines(context)).allMatch(l -> l.startsWith("[ferry] "))
          .contains("[ferry] master: local[2]", "[ferry] tasks run on threads of this JVM: no Mesos, no executors");
    }
  }

  @Test
  void theSandboxHintLinksTheFrameworkPage() {
    assertThat(Banner.sandboxHint(Optional.of("http://127.0.0.1:5050/"), Optional.of("f-1")))
        .startsWith("the stdout/stderr links of each task on http://127.0.0.1:5050/#/frameworks/f-1 ");
  }
}
