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
 * @param tls when true the server presents a fresh self-signed certificate whose SHA-256 travels in
 *     the launch record, and executors refuse any other certificate
 * @param jars the application's class path, served by file name to authenticated executors
 */
public record ServerConfig(
    String bindAddress,
    int port,
    Duration heartbeatInterval,
    Duration heartbeatTimeout,
    int maxFrameBytes,
    boolean tls,
    List<Path> jars) {

  public ServerConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
    }
    Timing.checkLink(heartbeatInterval, heartbeatTimeout, maxFrameBytes);
    jars = List.copyOf(jars);
  }

  /** Loopback, ephemeral port, default timings, no TLS, no jars: for tests and local mode. */
  public static ServerConfig loopback() {
    return new ServerConfig("127.0.0.1", 0, ClientConfig.DEFAULT_HEARTBEAT_INTERVAL,
        ClientConfig.DEFAULT_HEARTBEAT_TIMEOUT, ClientConfig.DEFAULT_MAX_FRAME_BYTES, false, List.of());
  }

  public ServerConfig withJars(List<Path> paths) {
    return new ServerConfig(bindAddress, port, heartbeatInterval, heartbeatTimeout, maxFrameBytes, tls, paths);
  }

  public ServerConfig withTls(boolean on) {
    return new ServerConfig(bindAddress, port, heartbeatInterval, heartbeatTimeout, maxFrameBytes, on, jars);
  }

  public ServerConfig withHeartbeat(Duration interval, Duration timeout) {
    return new ServerConfig(bindAddress, port, interval, timeout, maxFrameBytes, tls, jars);
  }

  public ServerConfig withMaxFrameBytes(int bytes) {
    return new ServerConfig(bindAddress, port, heartbeatInterval, heartbeatTimeout, bytes, tls, jars);
  }
}
