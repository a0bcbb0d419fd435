package io.ferry.rpc;

import java.time.Duration;

/** Shared validation of the link's timings and sizes. */
final class Timing {
  /** A jar chunk (1 MiB) plus its envelope must fit in a frame. */
  static final int MIN_FRAME_BYTES = 2 << 20;

  private Timing() {}

  static void check(String name, Duration d) {
    if (d == null) {
      throw new NullPointerException(name);
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
    }
  }

  static void checkLink(Duration heartbeatInterval, Duration heartbeatTimeout, int maxFrameBytes) {
    check("heartbeatInterval", heartbeatInterval);
    check("heartbeatTimeout", heartbeatTimeout);
    if (heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
      throw new IllegalArgumentException("heartbeatTimeout: " + heartbeatTimeout
          + " (expected: longer than heartbeatInterval " + heartbeatInterval + ")");
    }
    if (maxFrameBytes < MIN_FRAME_BYTES) {
      throw new IllegalArgumentException(
          "maxFrameBytes: " + maxFrameBytes + " (expected: >= " + MIN_FRAME_BYTES + ")");
    }
  }
}
