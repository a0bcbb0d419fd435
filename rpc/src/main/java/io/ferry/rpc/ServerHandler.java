package io.ferry.rpc;

import io.ferry.rpc.proto.Frame;

/**
 * The driver's view of its executors' connections. Only authenticated peers ever reach it.
 *
 * <p>Called on Netty event loops (one per connection, so calls for one peer are ordered): hand
 * work to another thread, never block.
 */
public interface ServerHandler {
  /** A peer completed the handshake. */
  void onConnected(PeerConnection peer);

  /** A work frame: {@code RegisterSlots}, {@code FetchTask}, {@code TaskResult}, {@code ClassesRequest}. */
  void onFrame(PeerConnection peer, Frame frame);

  /**
   * The frames of one read from this peer have all been passed to {@link #onFrame}: a handler that
   * gathers work from several frames (results to apply under one lock, futures to complete
   * together) acts on it here. Called on the peer's event loop, like {@code onFrame}.
   */
  default void onReadComplete(PeerConnection peer) {}

  /** An authenticated peer's connection ended (closed, lost past the heartbeat timeout, bad frame). */
  void onDisconnected(PeerConnection peer, String reason);
}
