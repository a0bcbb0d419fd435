package io.ferry.mesos.local.fetcher;

import static io.ferry.mesos.local.fetcher.SandboxFixture.uri;
import static io.ferry.mesos.local.fetcher.SandboxFixture.uriBuilder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.packager.testing.NginxServer;
import io.ferry.packager.testing.ScriptedHttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code http://} against a real nginx, and failures scripted with a tiny JDK server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpFetchTest {

  @TempDir
  static Path serverDir;

  private static NginxServer nginx;

  @TempDir
  Path tmp;

  private SandboxFixture world;
  private Fetcher fetcher;

  @BeforeAll
  static void startNginx() throws IOException {
    nginx = NginxServer.start(serverDir);
  }

  @AfterAll
  static void stopNginx() {
    if (nginx != null) {
      nginx.stop();
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    world = SandboxFixture.create(tmp);
    fetcher = Fetcher.builder().stallTimeout(Duration.ofSeconds(1)).build();
  }

  @AfterEach
  void tearDown() {
    fetcher.close();
  }

  private static String publish(String path, TestArchives.Tar tar) throws IOException {
    tar.writeTo(nginx.file(path));
    return nginx.uri(path).toString();
  }

  @Test
  void queryStringStaysInTheNameSoTheArchiveIsNotExtracted() throws Exception {
    String url = publish(NginxServer.READ_ONLY + "app.tgz",
        TestArchives.tar().file("inside", "x"));

    world.fetch(fetcher, uri(url + "?sig=1"));

    assertThat(world.inSandbox("app.tgz?sig=1")).isRegularFile();
    assertThat(world.inSandbox("inside")).doesNotExist();
    assertThat(world.read("stderr")).contains("Fetching URI '" + url + "?[REDACTED]'");
  }

  @Test
  void queryStringUrlWithOutputFileIsExtracted() throws Exception {
    String url = publish(NginxServer.READ_ONLY + "app.tgz",
        TestArchives.tar().file("inside", "x"));

    world.fetch(fetcher, uriBuilder(url + "?sig=1").setOutputFile("app.tgz").build());

    assertThat(world.read("inside")).isEqualTo("x");
  }

  @Test
  void outputFileInASubdirectoryIsExtractedIntoTheSandboxRoot() throws Exception {
    String url = publish(NginxServer.READ_ONLY + "dist.tgz",
        TestArchives.tar().file("bin/ferry", "#!/bin/sh", 0755));

    world.fetch(fetcher, uriBuilder(url).setOutputFile("sub/x.tgz").build());

    assertThat(world.inSandbox("sub/x.tgz")).isRegularFile();
    assertThat(Files.isExecutable(world.inSandbox("bin/ferry"))).isTrue();
  }

  @Test
  void executableTgzIsChmoddedNotExtracted() throws Exception {
    String url = publish(NginxServer.READ_ONLY + "tool.tgz", TestArchives.tar().file("in", "x"));

    world.fetch(fetcher, uriBuilder(url).setExecutable(true).build());

    assertThat(Files.isExecutable(world.inSandbox("tool.tgz"))).isTrue();
    assertThat(world.inSandbox("in")).doesNotExist();
  }

  @Test
  void bareGzIsGunzipped() throws Exception {
    TestArchives.gzip(nginx.file(NginxServer.READ_ONLY + "words.txt.gz"), "hello");

    world.fetch(fetcher, uri(nginx.uri(NginxServer.READ_ONLY + "words.txt.gz").toString()));

    assertThat(world.read("words.txt")).isEqualTo("hello");
  }

  @Test
  void notFoundFailsNamingTheUriAndTheStatus() throws Exception {
    String url = nginx.uri(NginxServer.MISSING + "app.tgz").toString();

    assertThatThrownBy(() -> world.fetch(fetcher, uri(url)))
        .isInstanceOf(FetchException.class)
        .hasMessage("Failed to fetch '" + url + "': received HTTP 404 (expected 200); check the"
            + " URL and that the file is published there");
    assertThat(world.topLevel()).containsExactly("stderr", "stdout");
    assertThat(world.read("stderr")).contains("E").contains("received HTTP 404");
  }

  @Test
  void redirectsAreFollowed() throws Exception {
    Files.createDirectories(nginx.file(NginxServer.DAV));
    Files.writeString(nginx.file(NginxServer.DAV + "moved.txt"), "here");

    world.fetch(fetcher, uri(nginx.uri(NginxServer.REDIRECT + "moved.txt").toString()));

    assertThat(world.read("moved.txt")).isEqualTo("here");
  }

  @Test
  void serverErrorFails() {
    String url = nginx.uri(NginxServer.UNAVAILABLE + "x.bin").toString();

    assertThatThrownBy(() -> world.fetch(fetcher, uri(url)))
        .hasMessageContaining("received HTTP 503");
  }

  @Test
  void connectionRefusedFails() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/x.bin";

    assertThatThrownBy(() -> world.fetch(fetcher, uri(url)))
        .hasMessageContaining("Failed to fetch '" + url + "'")
        .hasMessageContaining("connection refused");
  }

  @Test
  void stalledDownloadIsAborted() throws Exception {
    try (ScriptedHttpServer server = new ScriptedHttpServer((exchange, self) -> {
      exchange.sendResponseHeaders(200, 1000);
      OutputStream body = exchange.getResponseBody();
      body.write("partial".getBytes(StandardCharsets.UTF_8));
      body.flush();
      self.released();
    })) {
      String url = server.uri("/slow.bin").toString();

      assertThatThrownBy(() -> world.fetch(fetcher, uri(url)))
          .hasMessage("Failed to fetch '" + url + "': the download stalled: less than 1 byte/s"
              + " for 1000 ms (--fetcher_stall_timeout) after 7 bytes; check the server and the"
              + " network");
    }
    assertThat(world.topLevel()).containsExactly("stderr", "stdout");
  }

  @Test
  void slowButSteadyDownloadIsNotAborted() throws Exception {
    // 1 byte per 100 ms is ten times the 1 byte/s floor: slow is not stalled.
    try (ScriptedHttpServer server = new ScriptedHttpServer((exchange, self) -> {
      exchange.sendResponseHeaders(200, 20);
      OutputStream body = exchange.getResponseBody();
      for (int i = 0; i < 20; i++) {
        body.write('x');
        body.flush();
        try {
          TimeUnit.MILLISECONDS.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    })) {
      world.fetch(fetcher, uri(server.uri("/trickle.txt").toString()));
    }
    assertThat(world.read("trickle.txt")).isEqualTo("x".repeat(20));
  }

  @Test
  void serverThatNeverAnswersIsAbortedAfterTheStallTimeout() throws Exception {
    try (ScriptedHttpServer server = new ScriptedHttpServer((exchange, self) -> self.released())) {
      String url = server.uri("/silent.bin").toString();

      assertThatThrownBy(() -> world.fetch(fetcher, uri(url)))
          .hasMessageContaining("no response within 1000 ms");
    }
  }

  @Test
  void brokenOffDownloadLeavesNoPartialFile() throws Exception {
    try (ScriptedHttpServer server = new ScriptedHttpServer((exchange, self) -> {
      exchange.sendResponseHeaders(200, 1000);
      exchange.getResponseBody().write(new byte[100]);
      // The exchange closes here, 900 bytes short.
    })) {
      String url = server.uri("/short.bin").toString();

      assertThatThrownBy(() -> world.fetch(fetcher, uri(url)))
          .hasMessageContaining("Failed to fetch '" + url + "': the download broke off after"
              + " 100 bytes");
    }
    // Neither the final name nor a temporary one is left behind.
    assertThat(world.topLevel()).containsExactly("stderr", "stdout");
  }

  @Test
  void failedDownloadKeepsAnEarlierFileUnderTheSameName() throws Exception {
    Files.writeString(world.inSandbox("short.bin"), "previous");
    try (ScriptedHttpServer server = new ScriptedHttpServer((exchange, self) -> {
      exchange.sendResponseHeaders(200, 1000);
      exchange.getResponseBody().write(new byte[10]);
    })) {
      assertThatThrownBy(() -> world.fetch(fetcher, uri(server.uri("/short.bin").toString())))
          .isInstanceOf(FetchException.class);
    }
    assertThat(world.read("short.bin")).isEqualTo("previous");
  }

  @Test
  void credentialsInTheUrlAreRedacted() throws Exception {
    String url = nginx.uri(NginxServer.MISSING + "x").toString()
        .replace("http://", "http://bob:hunter2@");

    assertThatThrownBy(() -> world.fetch(fetcher, uri(url)))
        .hasMessageContaining("http://[REDACTED]@127.0.0.1:")
        .hasMessageNotContaining("hunter2");
    assertThat(world.read("stderr")).doesNotContain("hunter2");
  }
}
