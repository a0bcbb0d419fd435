package io.ferry.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.LaunchRecord;
import io.ferry.rpc.proto.Mode;
import io.ferry.rpc.proto.RegisterSlots;
import io.ferry.rpc.proto.RunTask;
import io.ferry.rpc.testing.RecordingHandler;
import io.ferry.rpc.testing.RecordingListener;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RpcLinkTest {
  private final RecordingHandler handler = new RecordingHandler();
  private RpcServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private DriverConnection connect(LaunchRecord record, String executorId, RecordingListener listener) throws Exception {
    return RpcClient.connect(ClientConfig.fromLaunchRecord(record, executorId, "agent-1", "localhost"), listener)
        .get(20, TimeUnit.SECONDS);
  }

  @Test
  void handshakeThenFramesBothWays() throws Exception {
    server = RpcServer.start(ServerConfig.loopback(), handler);
    LaunchRecord record = server.launchRecord("e-1", Mode.COARSE, "127.0.0.1", "app-1").build();
    RecordingListener listener = new RecordingListener();
    DriverConnection driver = connect(record, "e-1", listener);

    PeerConnection peer = handler.connected.poll(20, TimeUnit.SECONDS);
    assertThat(peer.executorId()).isEqualTo("e-1");

    driver.send(Frame.newBuilder().setRegisterSlots(RegisterSlots.newBuilder().setSlotTaskId("t").setSlots(3)).build());
    assertThat(handler.frames.poll(20, TimeUnit.SECONDS).getRegisterSlots().getSlots()).isEqualTo(3);

    peer.send(Frame.newBuilder().setRunTask(RunTask.newBuilder().setTaskId(7)).build());
    assertThat(listener.frames.poll(20, TimeUnit.SECONDS).getRunTask().getTaskId()).isEqualTo(7);

    driver.close("done");
    assertThat(driver.closeFuture().get(20, TimeUnit.SECONDS)).contains("done");
    assertThat(handler.disconnected.poll(20, TimeUnit.SECONDS)).contains("e-1").contains("said goodbye: done");
  }

  @Test
  void aTokenWorksOnce() throws Exception {
    server = RpcServer.start(ServerConfig.loopback(), handler);
    LaunchRecord record = server.launchRecord("e-1", Mode.FINE, "127.0.0.1", "app").build();
    connect(record, "e-1", new RecordingListener());

    assertThatThrownBy(() -> connect(record, "e-1", new RecordingListener()))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(RpcAuthException.class).hasMessageContaining("rejected");
    assertThat(handler.connected).hasSize(1);
  }

  @Test
  void aWrongTokenIsRejectedAndTheDriverLearnsNothingElse() throws Exception {
    server = RpcServer.start(ServerConfig.loopback(), handler);
    LaunchRecord good = server.launchRecord("e-1", Mode.FINE, "127.0.0.1", "app").build();
    LaunchRecord forged = good.toBuilder().setToken(com.google.protobuf.ByteString.copyFrom(new byte[32])).build();

    assertThatThrownBy(() -> connect(forged, "e-1", new RecordingListener()))
        .cause().isInstanceOf(RpcAuthException.class).hasMessageContaining("authentication failed");
    // Another executor's token does not work for this id either.
    LaunchRecord other = server.launchRecord("e-2", Mode.FINE, "127.0.0.1", "app").build();
    assertThatThrownBy(() -> connect(other, "e-1", new RecordingListener()))
        .cause().isInstanceOf(RpcAuthException.class);
    assertThat(handler.connected).isEmpty();
    // The real token still works: failed attempts do not burn it.
    connect(good, "e-1", new RecordingListener());
  }

  @Test
  void anImpostorDriverIsDetected() throws Exception {
    // A driver that never issued our token cannot produce the Welcome proof.
    server = RpcServer.start(ServerConfig.loopback(), handler);
    RpcServer.class.getName();
    LaunchRecord record = server.launchRecord("e-1", Mode.FINE, "127.0.0.1", "app").build();
    try (RpcServer impostor = RpcServer.start(ServerConfig.loopback(), new RecordingHandler())) {
      byte[] impostorToken = impostor.issueToken("e-1");
      LaunchRecord pointedAtImpostor = record.toBuilder().setDriverPort(impostor.port()).build();
      assertThat(impostorToken).isNotEqualTo(record.getToken().toByteArray());
      assertThatThrownBy(() -> connect(pointedAtImpostor, "e-1", new RecordingListener()))
          .cause().isInstanceOf(RpcAuthException.class);
    }
  }

  @Test
  void tlsWithThePinnedCertificate() throws Exception {
    server = RpcServer.start(ServerConfig.loopback().withTls(true), handler);
    LaunchRecord record = server.launchRecord("e-1", Mode.FINE, "127.0.0.1", "app").build();
    assertThat(record.getTlsCertSha256().size()).isEqualTo(32);
    RecordingListener listener = new RecordingListener();
    connect(record, "e-1", listener);
    handler.connected.poll(20, TimeUnit.SECONDS)
        .send(Frame.newBuilder().setRunTask(RunTask.newBuilder().setTaskId(1)).build());
    assertThat(listener.frames.poll(20, TimeUnit.SECONDS).hasRunTask()).isTrue();
  }

  @Test
  void tlsWithAnotherCertificateIsRefused() throws Exception {
    server = RpcServer.start(ServerConfig.loopback().withTls(true), handler);
    LaunchRecord record = server.launchRecord("e-1", Mode.FINE, "127.0.0.1", "app").build();
    byte[] wrongPin = record.getTlsCertSha256().toByteArray();
    wrongPin[0] ^= 1;
    LaunchRecord pinnedElsewhere = record.toBuilder()
        .setTlsCertSha256(com.google.protobuf.ByteString.copyFrom(wrongPin)).build();
    assertThatThrownBy(() -> connect(pinnedElsewhere, "e-1", new RecordingListener()))
        .cause().isInstanceOf(RpcException.class).hasMessageContaining("pins");
    assertThat(handler.connected).isEmpty();
  }

  @Test
  void plaintextClientOnATlsPortGetsNothing() throws Exception {
    server = RpcServer.start(ServerConfig.loopback().withTls(true), handler);
    LaunchRecord record = server.launchRecord("e-1", Mode.FINE, "127.0.0.1", "app").build();
    LaunchRecord noTls = record.toBuilder().clearTlsCertSha256().build();
    assertThatThrownBy(() -> connect(noTls, "e-1", new RecordingListener())).cause().isInstanceOf(RpcException.class);
    assertThat(handler.connected).isEmpty();
  }

  @Test
  void unreachableDriverNamesTheEndpoint() throws Exception {
    int freePort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      freePort = s.getLocalPort();
    }
    LaunchRecord record = LaunchRecord.newBuilder().setFormatVersion(1).setDriverHost("127.0.0.1")
        .setDriverPort(freePort).setToken(com.google.protobuf.ByteString.copyFrom(new byte[32])).build();
    assertThatThrownBy(() -> connect(record, "e-1", new RecordingListener()))
        .cause().isInstanceOf(RpcConnectException.class)
        .hasMessage("cannot reach the Ferry driver at 127.0.0.1:" + freePort + ": connection refused");
  }

  @Test
  void theDriverClosingEndsTheExecutorsLink() throws Exception {
    server = RpcServer.start(ServerConfig.loopback(), handler);
    LaunchRecord record = server.launchRecord("e-1", Mode.FINE, "127.0.0.1", "app").build();
    RecordingListener listener = new RecordingListener();
    DriverConnection driver = connect(record, "e-1", listener);
    server.close();
    assertThat(driver.closeFuture().get(20, TimeUnit.SECONDS)).contains("the driver is shutting down");
    assertThat(listener.closed.poll(5, TimeUnit.SECONDS)).contains("shutting down");
  }

  @Test
  void configsRejectBadValuesNamingTheParameter() {
    assertThatThrownBy(() -> ServerConfig.loopback().withHeartbeat(Duration.ofSeconds(5), Duration.ofSeconds(5)))
        .hasMessageContaining("heartbeatTimeout");
    assertThatThrownBy(() -> ServerConfig.loopback().withMaxFrameBytes(10)).hasMessageStartingWith("maxFrameBytes: 10");
    LaunchRecord future = LaunchRecord.newBuilder().setFormatVersion(2).build();
    assertThatThrownBy(() -> ClientConfig.fromLaunchRecord(future, "e", "a", "h")).hasMessageContaining("format_version: 2");
    LaunchRecord noPort = LaunchRecord.newBuilder().setFormatVersion(1).setDriverHost("h")
        .setToken(com.google.protobuf.ByteString.copyFrom(new byte[32])).build();
    assertThatThrownBy(() -> ClientConfig.fromLaunchRecord(noPort, "e", "a", "h")).hasMessageStartingWith("port: 0");
    LaunchRecord record = noPort.toBuilder().setDriverPort(1).build();
    assertThat(ClientConfig.fromLaunchRecord(record, "e", "a", "h").toString()).contains("[REDACTED]");
  }
}
