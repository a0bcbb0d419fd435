package io.ferry.rpc;

import io.ferry.rpc.proto.Frame;

/** The driver's handle on one authenticated executor connection. Thread-safe. */
public interface PeerConnection {
  /** The Mesos executor id the peer proved it was launched as. */
  String executorId();

  /** Queues a frame; frames are written in call order. */
  void send(Frame frame);

  /** Says goodbye with the reason and closes. */
  void close(String reason);

  /** {@code host:port} of the peer, for logs. */
  String remoteAddress();
}
