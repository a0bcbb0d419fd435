package io.ferry.rpc;

import io.ferry.rpc.proto.Frame;

/** The driver's handle on one authenticated executor connection. Thread-safe. */
public interface PeerConnection {
  /** The Mesos executor id the peer proved it was launched as. */
  String executorId();

  /** Queues a frame; frames are written in call order, in batches (one flush for frames queued together). */
  void send(Frame frame);

  /** Queues frames that leave together, in order, with one flush: e.g. every task one dispatch sends. */
  default void sendAll(java.util.List<Frame> frames) {
    frames.forEach(this::send);
  }

  /** Says goodbye with the reason and closes. */
  void close(String reason);

  /** {@code host:port} of the peer, for logs. */
  String remoteAddress();
}
