package io.ferry.rpc;

import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.JarDescriptor;
import io.ferry.rpc.proto.Welcome;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/** The executor's authenticated connection to its driver. Thread-safe. */
public interface DriverConnection {
  /** What the driver sent after the handshake: the application's jars. */
  Welcome welcome();

  /** Queues a frame; frames are written in call order. */
  void send(Frame frame);

  /**
   * Downloads one of the {@link #welcome()} jars into {@code directory} (created if needed). The
   * file appears under its name only complete, with the size and SHA-256 the driver announced; a
   * file already there with that checksum is reused. Fails with an {@link RpcException} naming the
   * jar and what did not match.
   */
  CompletableFuture<Path> fetchJar(JarDescriptor jar, Path directory);

  /** Says goodbye with the reason and closes. */
  void close(String reason);

  /** Completes with the reason once the link has ended, whatever ended it. */
  CompletableFuture<String> closeFuture();

  /**
   * Whether the driver ended the link with a goodbye (its normal end: the application is done, or
   * it let this executor go), rather than the link being lost (a closed socket, a heartbeat
   * timeout, a protocol error) or closed by this side first. Final once {@link #closeFuture()}
   * has completed.
   */
  boolean endedByDriverGoodbye();

  /** {@code host:port} of the driver. */
  String peer();
}
