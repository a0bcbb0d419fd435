package io.ferry.rpc;

import io.ferry.rpc.proto.LaunchRecord;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * How an executor reaches its driver. Usually built from the {@link LaunchRecord} in the first
 * task's {@code TaskInfo.data}.
 *
 * @param token the one-time secret proven in the handshake; never sent, never printed
 * @param tlsCertSha256 present when the driver requires TLS: the SHA-256 of its certificate, pinned
 */
public record ClientConfig(
    String host,
    int port,
    byte[] token,
    String executorId,
    String agentId,
    String hostname,
    Optional<byte[]> tlsCertSha256,
    Duration heartbeatInterval,
    Duration heartbeatTimeout,
    int maxFrameBytes,
    Duration connectTimeout) {

  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(2);
  public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_FRAME_BYTES = 128 << 20;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  public ClientConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(executorId, "executorId");
    Objects.requireNonNull(tlsCertSha256, "tlsCertSha256");
    agentId = agentId == null ? "" : agentId;
    hostname = hostname == null ? "" : hostname;
    if (host.isBlank()) {
      throw new IllegalArgumentException("host: empty (expected: the driver's advertised host)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
    }
    if (token.length < 16) {
      throw new IllegalArgumentException("token: " + token.length + " bytes (expected: at least 16)");
    }
    if (executorId.isEmpty()) {
      throw new IllegalArgumentException("executorId: empty");
    }
    tlsCertSha256.ifPresent(
        fp -> {
          if (fp.length != 32) {
            throw new IllegalArgumentException("tlsCertSha256: " + fp.length + " bytes (expected: 32)");
          }
        });
    Timing.checkLink(heartbeatInterval, heartbeatTimeout, maxFrameBytes);
    Timing.check("connectTimeout", connectTimeout);
    token = token.clone();
  }

  /**
   * The config a launch record describes. Zero timings in the record mean the defaults.
   *
   * @throws IllegalArgumentException naming the field when the record is unusable
   */
  public static ClientConfig fromLaunchRecord(
      LaunchRecord record, String executorId, String agentId, String hostname) {
    if (record.getFormatVersion() != 1) {
      throw new IllegalArgumentException("format_version: " + record.getFormatVersion()
          + " (expected: 1; the driver runs a newer Ferry than this executor)");
    }
    return new ClientConfig(
        record.getDriverHost(),
        record.getDriverPort(),
        record.getToken().toByteArray(),
        executorId,
        agentId,
        hostname,
        record.getTlsCertSha256().isEmpty()
            ? Optional.empty()
            : Optional.of(record.getTlsCertSha256().toByteArray()),
        record.getHeartbeatIntervalMs() == 0
            ? DEFAULT_HEARTBEAT_INTERVAL
            : Duration.ofMillis(record.getHeartbeatIntervalMs()),
        record.getHeartbeatTimeoutMs() == 0
            ? DEFAULT_HEARTBEAT_TIMEOUT
            : Duration.ofMillis(record.getHeartbeatTimeoutMs()),
        record.getMaxFrameBytes() == 0 ? DEFAULT_MAX_FRAME_BYTES : record.getMaxFrameBytes(),
        DEFAULT_CONNECT_TIMEOUT);
  }

  @Override
  public byte[] token() {
    return token.clone();
  }

  @Override
  public String toString() {
    return "ClientConfig[driver=" + host + ":" + port + ", executorId=" + executorId
        + ", token=[REDACTED], tls=" + tlsCertSha256.map(HexFormat.of()::formatHex).orElse("off")
        + ", heartbeatInterval=" + heartbeatInterval + ", heartbeatTimeout=" + heartbeatTimeout
        + ", maxFrameBytes=" + maxFrameBytes + "]";
  }

  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }
}
