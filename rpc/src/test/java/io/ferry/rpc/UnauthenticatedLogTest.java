package io.ferry.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.rpc.internal.HandshakeMac;
import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.JarRequest;
import io.ferry.rpc.testing.DriverPortChild;
import io.ferry.rpc.testing.RawFrameSocket;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver's log under unauthenticated peers, read from a driver port in its own process as an
 * operator reads it: what a peer sends is escaped, a peer costs one line however much it sends, and
 * many peers cost a bounded number of lines plus a count of the ones not logged.
 */
@Timeout(120)
class UnauthenticatedLogTest {
  @TempDir Path dir;

  private DriverPortChild driver() throws Exception {
    return DriverPortChild.start(dir.resolve("driver.log"), List.of("-Xmx64m"), List.of());
  }

  @Test
  void aForgedExecutorIdIsLoggedEscapedOnOneLine() throws Exception {
    String forgedLine = "WARN io.ferry.rpc.internal.ServerHandshakeHandler - [executor=e-2] authenticated";
    String id = "e-1\n" + forgedLine + " \u001b[31mred";
    String log;
    try (DriverPortChild driver = driver()) {
      try (RawFrameSocket s = new RawFrameSocket("127.0.0.1", driver.port(), 20_000)) {
        byte[] nonce = HandshakeMac.randomBytes(HandshakeMac.NONCE_BYTES);
        s.write(RawFrameSocket.hello(id, nonce));
        byte[] serverNonce = s.read().orElseThrow().getChallenge().getServerNonce().toByteArray();
        s.write(RawFrameSocket.proof(HandshakeMac.randomBytes(HandshakeMac.TOKEN_BYTES), id, nonce, serverNonce));
        assertThat(s.read().orElseThrow().hasRejected()).isTrue();
        assertThat(s.awaitClosed()).isTrue();
      }
      driver.close(); // the whole log, flushed
      log = driver.log();
    }
    assertThat(log).doesNotContain("\u001b");
    List<String> lines = log.lines().filter(l -> l.contains("authenticated")).toList();
    assertThat(lines).as("lines that mention the forged text in:\n%s", log).hasSize(1);
    assertThat(lines.get(0)).contains("e-1\\n" + forgedLine + " \\u001b[31mred")
        .doesNotStartWith(forgedLine);
  }

  @Test
  void thousandsOfBadFramesInOneWriteCostOneLine() throws Exception {
    byte[] request = Frame.newBuilder().setJarRequest(JarRequest.newBuilder().setName("app.jar")).build().toByteArray();
    ByteArrayOutputStream wrongFrames = new ByteArrayOutputStream();
    ByteArrayOutputStream garbage = new ByteArrayOutputStream();
    for (int i = 0; i < 5000; i++) {
      wrongFrames.writeBytes(ByteBuffer.allocate(4).putInt(request.length).array());
      wrongFrames.writeBytes(request);
      garbage.writeBytes(new byte[] {0, 0, 0, 3, (byte) 0xff, (byte) 0xff, (byte) 0xff});
    }
    int wrongPort;
    int garbagePort;
    String log;
    try (DriverPortChild driver = driver()) {
      try (RawFrameSocket s = new RawFrameSocket("127.0.0.1", driver.port(), 20_000)) {
        wrongPort = s.localPort();
        s.writeRawIgnoringClose(wrongFrames.toByteArray());
        assertThat(s.awaitClosed()).isTrue();
      }
      try (RawFrameSocket s = new RawFrameSocket("127.0.0.1", driver.port(), 20_000)) {
        garbagePort = s.localPort();
        s.writeRawIgnoringClose(garbage.toByteArray());
        assertThat(s.awaitClosed()).isTrue();
      }
      driver.close();
      log = driver.log();
    }
    assertThat(linesAbout(log, wrongPort)).as("lines about the peer that sent 5000 jar requests:\n%s", log).hasSize(1);
    assertThat(linesAbout(log, garbagePort)).as("lines about the peer that sent 5000 garbage frames:\n%s", log)
        .hasSize(1);
  }

  @Test
  void manyBadPeersCostABoundedNumberOfLinesAndACountOfTheRest() throws Exception {
    int peers = 300;
    Frame request = Frame.newBuilder().setJarRequest(JarRequest.newBuilder().setName("app.jar")).build();
    String log;
    long started = System.nanoTime();
    try (DriverPortChild driver = driver()) {
      for (int i = 0; i < peers; i++) {
        try (RawFrameSocket s = new RawFrameSocket("127.0.0.1", driver.port(), 20_000)) {
          s.write(request);
          assertThat(s.awaitClosed()).isTrue();
        }
      }
      driver.close(); // the count not yet reported is logged when the driver port closes
      log = driver.log();
    }
    long elapsedSeconds = (System.nanoTime() - started) / 1_000_000_000L;
    List<String> peerLines = log.lines().filter(l -> PEER.matcher(l).find()).toList();
    int suppressed = 0;
    for (Matcher m = SUPPRESSED.matcher(log); m.find(); ) {
      suppressed += Integer.parseInt(m.group(1));
    }
    assertThat(suppressed).as("suppressed count in:\n%s", log).isPositive();
    assertThat(peerLines.size() + suppressed).as("every peer is logged or counted:\n%s", log).isEqualTo(peers);
    // At most 10 lines per 10 s window (the windows the run touched, rounded up).
    assertThat(peerLines.size()).isLessThanOrEqualTo(10 * (int) (elapsedSeconds / 10 + 2));
  }

  private static final Pattern PEER = Pattern.compile("from 127\\.0\\.0\\.1:\\d+");
  private static final Pattern SUPPRESSED = Pattern.compile("(\\d+) more unauthenticated peer");

  private static List<String> linesAbout(String log, int port) {
    return log.lines().filter(l -> l.contains("127.0.0.1:" + port + " ") || l.contains("127.0.0.1:" + port + ":")
        || l.endsWith("127.0.0.1:" + port)).toList();
  }
}
