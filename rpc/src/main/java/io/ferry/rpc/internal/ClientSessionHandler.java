package io.ferry.rpc.internal;

import io.ferry.rpc.DriverConnection;
import io.ferry.rpc.FrameListener;
import io.ferry.rpc.PeerText;
import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.JarDescriptor;
import io.ferry.rpc.proto.Welcome;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The executor's authenticated connection: hands work frames to the listener, receives jars. */
public final class ClientSessionHandler extends SimpleChannelInboundHandler<Frame> implements DriverConnection {
  private static final Logger log = LoggerFactory.getLogger(ClientSessionHandler.class);

  private final Channel channel;
  private final String peer;
  private final Welcome welcome;
  private final FrameListener listener;
  private final JarReceiver jars;
  private final Runnable onClosed;
  private final FrameOutbox outbox;
  private final CompletableFuture<String> closed = new CompletableFuture<>();
  /** Set on the event loop before the close it causes, so it is final once {@link #closed} completes. */
  private volatile boolean closedByUs;
  private volatile boolean goodbye;

  ClientSessionHandler(Channel channel, String peer, Welcome welcome, FrameListener listener, JarReceiver jars,
      Runnable onClosed) {
    this.channel = channel;
    this.peer = peer;
    this.welcome = welcome;
    this.listener = listener;
    this.jars = jars;
    this.onClosed = onClosed;
    this.outbox = new FrameOutbox(channel);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
    switch (frame.getBodyCase()) {
      case HEARTBEAT -> { }
      case GOODBYE -> {
        goodbye = !closedByUs;
        LinkState.closeWith(channel, "the driver said goodbye: " + PeerText.escape(frame.getGoodbye().getReason()));
      }
      case JAR_CHUNK -> jars.onChunk(frame.getJarChunk());
      case RUN_TASK, CANCEL_TASK, RELEASE_SLOTS, CLASSES -> listener.onFrame(frame);
      case BODY_NOT_SET -> log.debug("ignoring a frame of a newer protocol from the driver");
      default -> LinkState.closeForViolation(channel, "protocol error: the driver sent " + Frames.kind(frame) + " after the handshake");
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    String reason = LinkState.reason(channel, "the driver at " + peer);
    jars.failAll(reason);
    try {
      listener.onClosed(reason);
    } finally {
      closed.complete(reason);
      onClosed.run();
    }
    super.channelInactive(ctx);
  }

  @Override
  public Welcome welcome() {
    return welcome;
  }

  @Override
  public void send(Frame frame) {
    outbox.send(frame);
  }

  @Override
  public CompletableFuture<Path> fetchJar(JarDescriptor jar, Path directory) {
    return jars.fetch(jar, directory);
  }

  @Override
  public void close(String reason) {
    closedByUs = true;
    // The reason is recorded now (first wins), the goodbye leaves after the frames already queued.
    LinkState.recordReason(channel, "closed by the executor: " + reason);
    outbox.thenClose(() -> LinkState.closeAfter(channel, Frames.goodbye(reason), "closed by the executor: " + reason));
  }

  @Override
  public boolean endedByDriverGoodbye() {
    return goodbye;
  }

  @Override
  public CompletableFuture<String> closeFuture() {
    return closed;
  }

  @Override
  public String peer() {
    return peer;
  }
}
