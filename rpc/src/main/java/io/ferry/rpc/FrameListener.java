package io.ferry.rpc;

import io.ferry.rpc.proto.Frame;

/**
 * Receives the driver's work frames on the executor ({@code RunTask}, {@code CancelTask},
 * {@code ReleaseSlots}, {@code Classes}). Handshake, heartbeat and jar frames are handled by the link itself.
 *
 * <p>Called on the connection's Netty event loop: hand work to another thread, never block.
 */
public interface FrameListener {
  void onFrame(Frame frame);

  /** Called once, when the link ends for any reason (including our own close). */
  void onClosed(String reason);
}
