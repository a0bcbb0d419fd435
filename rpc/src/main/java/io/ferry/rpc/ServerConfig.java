package io.ferry.rpc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The driver's side of the link: one port for everything (tasks, results, jar downloads).
 *
 * @param bindAddress the local address to listen on ({@code 0.0.0.0} for all)
 * @param port 0 for an ephemeral port
 * @param maxFrameBytes the largest frame an authenticated executor may send; before the handshake
 *     a peer may send no more than a handshake needs (4 KiB)
 * @param tls when true the server presents a fresh self-signed certificate whose SHA-256 travels in
 *     the launch record, and executors refuse any other certificate
 * @param jars the application's class path, served by file name to authenticated executors
 * @param handshakeTimeout a connection that has not completed the handshake this long after it was
 *     accepted is closed, whatever it sends meanwhile
 * @param maxPendingHandshakes the most connections that may be in the handshake at once; more are
 *     closed as soon as they are accepted. With the 4 KiB frame cap this bounds what strangers can
 *     make the driver hold.
 */
public record ServerConfig(
    String bindAddress,
    int port,
    Duration heartbeatInterval,
    Duration heartbeatTimeout,
    int maxFrameBytes,
    boolean tls,
    List<Path> jars,
    Duration handshakeTimeout,
    int maxPendingHandshakes) {

  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_PENDING_HANDSHAKES = 256;

  public ServerConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
    }
    Timing.checkLink(heartbeatInterval, heartbeatTimeout, maxFrameBytes);
    Timing.check("handshakeTimeout", handshakeTimeout);
    if (maxPendingHandshakes < 1) {
      throw new IllegalArgumentException("maxPendingHandshakes: " + maxPendingHandshakes + " (expected: > 0)");
    }
    jars = List.copyOf(jars);
  }

  /** With the default handshake timeout and limit of pending handshakes. */
  public ServerConfig(String bindAddress, int port, Duration heartbeatInterval, Duration heartbeatTimeout,
      int maxFrameBytes, boolean tls, List<Path> jars) {
    this(bindAddress, port, heartbeatInterval, heartbeatTimeout, maxFrameBytes, tls, jars, DEFAULT_HANDSHAKE_TIMEOUT,
        DEFAULT_MAX_PENDING_HANDSHAKES);
  }

  /** Loopback, ephemeral port, default timings and limits, no TLS, no jars: for tests and local mode. */
  public static ServerConfig loopback() {
    return new ServerConfig("127.0.0.1", 0, ClientConfig.DEFAULT_HEARTBEAT_INTERVAL,
        ClientConfig.DEFAULT_HEARTBEAT_TIMEOUT, ClientConfig.DEFAULT_MAX_FRAME_BYTES, false, List.of());
  }

  public ServerConfig withJars(List<Path> paths) {
    return new ServerConfig(bindAddress, port, heartbeatInterval, heartbeatTimeout, maxFrameBytes, tls, paths,
        handshakeTimeout, maxPendingHandshakes);
  }

  public ServerConfig withTls(boolean on) {
    return new ServerConfig(bindAddress, port, heartbeatInterval, heartbeatTimeout, maxFrameBytes, on, jars,
        handshakeTimeout, maxPendingHandshakes);
  }

  public ServerConfig withHeartbeat(Duration interval, Duration timeout) {
    return new ServerConfig(bindAddress, port, interval, timeout, maxFrameBytes, tls, jars, handshakeTimeout,
        maxPendingHandshakes);
  }

  public ServerConfig withMaxFrameBytes(int bytes) {
    return new ServerConfig(bindAddress, port, heartbeatInterval, heartbeatTimeout, bytes, tls, jars, handshakeTimeout,
        maxPendingHandshakes);
  }

  public ServerConfig withHandshakeLimits(Duration timeout, int maxPending) {
    return new ServerConfig(bindAddress, port, heartbeatInterval, heartbeatTimeout, maxFrameBytes, tls, jars, timeout,
        maxPending);
  }
}
