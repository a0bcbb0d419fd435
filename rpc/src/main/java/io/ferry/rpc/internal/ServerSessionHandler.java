package io.ferry.rpc.internal;

import io.ferry.rpc.PeerConnection;
import io.ferry.rpc.PeerText;
import io.ferry.rpc.ServerHandler;
import io.ferry.rpc.proto.Frame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One authenticated executor connection on the driver: dispatches work frames, serves jars. */
public final class ServerSessionHandler extends SimpleChannelInboundHandler<Frame> implements PeerConnection {
  private static final Logger log = LoggerFactory.getLogger(ServerSessionHandler.class);

  private final String executorId;
  private final Channel channel;
  private final ServerHandler handler;
  private final JarSender jarSender;
  private final FrameOutbox outbox;

  ServerSessionHandler(String executorId, Channel channel, ServerHandler handler, JarSender jarSender) {
    this.executorId = executorId;
    this.channel = channel;
    this.handler = handler;
    this.jarSender = jarSender;
    this.outbox = new FrameOutbox(channel);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
    switch (frame.getBodyCase()) {
      case HEARTBEAT -> { }
      case GOODBYE -> LinkState.closeWith(channel, "executor " + executorId + " said goodbye: "
          + PeerText.escape(frame.getGoodbye().getReason()));
      case JAR_REQUEST -> jarSender.send(channel, executorId, frame.getJarRequest().getName());
      case REGISTER_SLOTS, FETCH_TASK, TASK_RESULT, CLASSES_REQUEST -> handler.onFrame(this, frame);
      case BODY_NOT_SET -> log.debug("[executor={}] ignoring a frame of a newer protocol", executorId);
      default -> {
        log.warn("[executor={}] sent {} after the handshake; closing", executorId, Frames.kind(frame));
        LinkState.closeForViolation(channel, "protocol error: " + Frames.kind(frame) + " after the handshake");
      }
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    handler.onReadComplete(this);
    super.channelReadComplete(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    String reason = LinkState.reason(channel, "executor " + executorId);
    log.info("[executor={}] disconnected: {}", executorId, reason);
    handler.onDisconnected(this, reason);
    super.channelInactive(ctx);
  }

  @Override
  public String executorId() {
    return executorId;
  }

  @Override
  public void send(Frame frame) {
    outbox.send(frame);
  }

  @Override
  public void sendAll(java.util.List<Frame> frames) {
    outbox.sendAll(frames);
  }

  @Override
  public void close(String reason) {
    // The reason is recorded now (first wins), the goodbye leaves after the frames already queued.
    LinkState.recordReason(channel, "closed by the driver: " + reason);
    outbox.thenClose(() -> LinkState.closeAfter(channel, Frames.goodbye(reason), "closed by the driver: " + reason));
  }

  @Override
  public String remoteAddress() {
    return Peers.describe(channel);
  }

  @Override
  public String toString() {
    return "executor " + executorId + " at " + remoteAddress();
  }
}
