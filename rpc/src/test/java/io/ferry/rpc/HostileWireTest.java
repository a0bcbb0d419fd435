package io.ferry.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.rpc.proto.ClassesRequest;
import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.JarRequest;
import io.ferry.rpc.proto.LaunchRecord;
import io.ferry.rpc.proto.Mode;
import io.ferry.rpc.testing.RawFrameSocket;
import io.ferry.rpc.testing.RecordingHandler;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Peers that misbehave on the driver port: replays, unauthenticated requests, garbage, silence. */
@Timeout(120)
class HostileWireTest {
  private final RecordingHandler handler = new RecordingHandler();
  private RpcServer server;
  @TempDir Path dir;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private RawFrameSocket raw() throws Exception {
    return new RawFrameSocket("127.0.0.1", server.port(), 20_000);
  }

  @Test
  void anUnauthenticatedJarRequestGetsNothingAndIsClosed() throws Exception {
    Path jar = Files.write(dir.resolve("app.jar"), new byte[] {1, 2, 3});
    server = RpcServer.start(ServerConfig.loopback().withJars(java.util.List.of(jar)), handler);
    try (RawFrameSocket s = raw()) {
      s.write(Frame.newBuilder().setJarRequest(JarRequest.newBuilder().setName("app.jar")).build());
      Optional<Frame> answer = s.read();
      assertThat(answer).hasValueSatisfying(f -> assertThat(f.hasRejected()).isTrue());
      assertThat(s.awaitClosed()).isTrue();
    }
    assertThat(handler.connected).isEmpty();
  }

  /** A shell's snippet classes go only to authenticated executors: a stranger's request never reaches the driver. */
  @Test
  void anUnauthenticatedClassesRequestGetsNothingAndIsClosed() throws Exception {
    server = RpcServer.start(ServerConfig.loopback(), handler);
    try (RawFrameSocket s = raw()) {
      s.write(Frame.newBuilder().setClassesRequest(ClassesRequest.newBuilder().setGeneration(1)).build());
      Optional<Frame> answer = s.read();
      assertThat(answer).hasValueSatisfying(f -> assertThat(f.hasRejected()).isTrue());
      assertThat(s.awaitClosed()).isTrue();
    }
    assertThat(handler.connected).isEmpty();
    assertThat(handler.frames).isEmpty();
  }

  @Test
  void aReplayedHandshakeIsRefused() throws Exception {
    server = RpcServer.start(ServerConfig.loopback(), handler);
    LaunchRecord record = server.launchRecord("e-1", Mode.FINE, "127.0.0.1", "app").build();
    byte[] token = record.getToken().toByteArray();
    byte[] clientNonce = new byte[32];
    Frame recordedProof;
    try (RawFrameSocket s = raw()) {
      s.write(RawFrameSocket.hello("e-1", clientNonce));
      byte[] serverNonce = s.read().orElseThrow().getChallenge().getServerNonce().toByteArray();
      recordedProof = RawFrameSocket.proof(token, "e-1", clientNonce, serverNonce);
      s.write(recordedProof);
      assertThat(s.read().orElseThrow().hasWelcome()).isTrue();
    }
    // An eavesdropper replays the same hello and proof: the server's nonce is new, the proof is stale.
    try (RawFrameSocket s = raw()) {
      s.write(RawFrameSocket.hello("e-1", clientNonce));
      assertThat(s.read().orElseThrow().hasChallenge()).isTrue();
      s.write(recordedProof);
      assertThat(s.read().orElseThrow().hasRejected()).isTrue();
      assertThat(s.awaitClosed()).isTrue();
    }
    assertThat(handler.connected).hasSize(1);
  }

  @Test
  void oversizedAndMalformedFramesCloseTheConnection() throws Exception {
    server = RpcServer.start(ServerConfig.loopback(), handler);
    try (RawFrameSocket s = raw()) {
      s.writeRaw(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array());
      assertThat(s.awaitClosed()).isTrue();
    }
    try (RawFrameSocket s = raw()) {
      s.writeRaw(new byte[] {0, 0, 0, 3, (byte) 0xff, (byte) 0xff, (byte) 0xff});
      assertThat(s.awaitClosed()).isTrue();
    }
    try (RawFrameSocket s = raw()) {
      s.writeRaw(new byte[] {0, 0, 0, 0});
      assertThat(s.awaitClosed()).isTrue();
    }
  }

  @Test
  void randomAndTruncatedInputNeverCrashesTheDriver() throws Exception {
    server = RpcServer.start(ServerConfig.loopback().withHeartbeat(Duration.ofMillis(100), Duration.ofMillis(300))
        .withHandshakeLimits(Duration.ofMillis(300), ServerConfig.DEFAULT_MAX_PENDING_HANDSHAKES), handler);
    LaunchRecord record = server.launchRecord("e-1", Mode.FINE, "127.0.0.1", "app").build();
    Random random = new Random(42);
    for (int i = 0; i < 200; i++) {
      try (RawFrameSocket s = raw()) {
        byte[] junk = new byte[random.nextInt(64)];
        random.nextBytes(junk);
        if (i % 3 == 0 && junk.length >= 4) {
          ByteBuffer.wrap(junk).putInt(random.nextInt(1 << 20)); // plausible lengths, truncated bodies
        }
        s.writeRaw(junk);
        assertThat(s.awaitClosed()).isTrue(); // closed for the garbage or at the handshake deadline
      }
    }
    // Still serving: the real executor gets in.
    RpcClient.connect(ClientConfig.fromLaunchRecord(record, "e-1", "a", "h"), new io.ferry.rpc.testing.RecordingListener())
        .get(20, TimeUnit.SECONDS);
    assertThat(handler.connected).hasSize(1);
  }

  @Test
  void aPeerThatSaysHelloAndThenNothingGetsTheChallengeThenTheCloseAndNoHeartbeat() throws Exception {
    // Heartbeats every 100 ms for authenticated peers; the handshake must be done within 1 s.
    server = RpcServer.start(ServerConfig.loopback().withHeartbeat(Duration.ofMillis(100), Duration.ofMillis(1000))
        .withHandshakeLimits(Duration.ofMillis(1000), ServerConfig.DEFAULT_MAX_PENDING_HANDSHAKES), handler);
    try (RawFrameSocket s = raw()) {
      s.write(RawFrameSocket.hello("e-1", new byte[32]));
      long helloSent = System.nanoTime();
      java.util.List<Frame> got = new java.util.ArrayList<>();
      for (Optional<Frame> f; (f = s.read()).isPresent(); ) {
        got.add(f.get());
      }
      long closedAfterMs = (System.nanoTime() - helloSent) / 1_000_000;
      assertThat(got).as("frames sent to a peer that has not authenticated").hasSize(1);
      assertThat(got.get(0).hasChallenge()).isTrue();
      assertThat(closedAfterMs).as("closed at the handshake deadline, not before").isGreaterThanOrEqualTo(900);
    }
    assertThat(handler.connected).isEmpty();
  }

  @Test
  void aStrangerMaySendNoMoreThanAHandshakeNeedsAnExecutorMaySendFullFrames() throws Exception {
    server = RpcServer.start(ServerConfig.loopback(), handler);
    // Read timeout well inside the handshake deadline (10 s): the close must come from the length alone.
    try (RawFrameSocket s = new RawFrameSocket("127.0.0.1", server.port(), 5_000)) {
      // 8 KiB announced before any handshake: closed on the length alone, nothing buffered, nothing sent.
      s.writeRaw(ByteBuffer.allocate(4).putInt(8 << 10).array());
      assertThat(s.read()).isEmpty();
    }
    LaunchRecord record = server.launchRecord("e-1", Mode.FINE, "127.0.0.1", "app").build();
    DriverConnection executor = RpcClient.connect(ClientConfig.fromLaunchRecord(record, "e-1", "a", "h"),
        new io.ferry.rpc.testing.RecordingListener()).get(20, TimeUnit.SECONDS);
    byte[] value = new byte[1 << 20];
    executor.send(Frame.newBuilder().setTaskResult(io.ferry.rpc.proto.TaskResult.newBuilder().setTaskId(1)
        .setValue(com.google.protobuf.ByteString.copyFrom(value))).build());
    assertThat(handler.frames.poll(20, TimeUnit.SECONDS).getTaskResult().getValue().size()).isEqualTo(1 << 20);
  }

  @Test
  void theNumberOfPeersInTheHandshakeIsBounded() throws Exception {
    server = RpcServer.start(ServerConfig.loopback().withHandshakeLimits(Duration.ofSeconds(60), 4), handler);
    LaunchRecord record = server.launchRecord("e-1", Mode.FINE, "127.0.0.1", "app").build();
    java.util.List<RawFrameSocket> silent = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        RawFrameSocket s = raw();
        silent.add(s);
        s.write(RawFrameSocket.hello("e-" + i, new byte[32]));
        assertThat(s.read().orElseThrow().hasChallenge()).isTrue(); // accepted and waiting for its proof
      }
      // A fifth is closed at once, long before any deadline: the read ends instead of timing out.
      try (RawFrameSocket fifth = raw()) {
        assertThat(fifth.read()).isEmpty();
      }
      silent.remove(0).close();
      // The slot is free once the driver has seen that close: the executor gets in.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      DriverConnection executor = null;
      while (executor == null) {
        try {
          executor = RpcClient.connect(ClientConfig.fromLaunchRecord(record, "e-1", "a", "h"),
              new io.ferry.rpc.testing.RecordingListener()).get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException refused) {
          assertThat(System.nanoTime()).as("the driver never freed the slot: %s", refused).isLessThan(deadline);
          record = server.launchRecord("e-1", Mode.FINE, "127.0.0.1", "app").build();
        }
      }
      assertThat(handler.connected.poll(20, TimeUnit.SECONDS).executorId()).isEqualTo("e-1");
    } finally {
      for (RawFrameSocket s : silent) {
        s.close();
      }
    }
  }

  @Test
  void aSilentAuthenticatedPeerIsDroppedAfterTheHeartbeatTimeout() throws Exception {
    server = RpcServer.start(ServerConfig.loopback().withHeartbeat(Duration.ofMillis(200), Duration.ofMillis(800)), handler);
    LaunchRecord record = server.launchRecord("e-1", Mode.FINE, "127.0.0.1", "app").build();
    try (RawFrameSocket s = raw()) {
      byte[] nonce = new byte[32];
      s.write(RawFrameSocket.hello("e-1", nonce));
      byte[] serverNonce = s.read().orElseThrow().getChallenge().getServerNonce().toByteArray();
      s.write(RawFrameSocket.proof(record.getToken().toByteArray(), "e-1", nonce, serverNonce));
      assertThat(s.read().orElseThrow().hasWelcome()).isTrue();
      // Never answer: the driver's heartbeats arrive, then it gives up on us.
      assertThat(s.awaitClosed()).isTrue();
    }
    assertThat(handler.disconnected.poll(20, TimeUnit.SECONDS)).contains("heartbeat timeout");
  }

  @Test
  void theExecutorNoticesASilentDriver() throws Exception {
    // A "driver" that completes the handshake properly and then stops talking.
    server = RpcServer.start(ServerConfig.loopback().withHeartbeat(Duration.ofMillis(200), Duration.ofMillis(800)), handler);
    LaunchRecord record = server.launchRecord("e-1", Mode.FINE, "127.0.0.1", "app").build();
    try (io.ferry.rpc.testing.StallingProxy proxy = new io.ferry.rpc.testing.StallingProxy("127.0.0.1", server.port())) {
      LaunchRecord viaProxy = record.toBuilder().setDriverPort(proxy.port()).build();
      DriverConnection driver = RpcClient.connect(ClientConfig.fromLaunchRecord(viaProxy, "e-1", "a", "h"),
          new io.ferry.rpc.testing.RecordingListener()).get(20, TimeUnit.SECONDS);
      proxy.stall();
      assertThat(driver.closeFuture().get(20, TimeUnit.SECONDS)).contains("heartbeat timeout");
      assertThat(handler.disconnected.poll(20, TimeUnit.SECONDS)).contains("heartbeat timeout");
    }
  }
}
