package io.ferry.rpc.internal;

import io.ferry.rpc.proto.Frame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.AttributeKey;

/**
 * Why a connection ended, recorded first-wins on the channel so every listener reports the same
 * reason: our own close, the peer's goodbye, a lost heartbeat, a bad frame.
 */
public final class LinkState {
  private static final AttributeKey<String> CLOSE_REASON = AttributeKey.valueOf("ferry.rpc.closeReason");
  private static final AttributeKey<Boolean> DISCARDING = AttributeKey.valueOf("ferry.rpc.discarding");
  private static final AttributeKey<String> EXECUTOR_ID = AttributeKey.valueOf("ferry.rpc.executorId");

  private LinkState() {}

  /** Records the reason (unless one is recorded) and closes at once. */
  public static void closeWith(Channel channel, String reason) {
    channel.attr(CLOSE_REASON).setIfAbsent(reason);
    channel.close();
  }

  /** Records the reason, sends {@code frame} (a goodbye or rejection) and closes once it is written. */
  public static void closeAfter(Channel channel, Frame frame, String reason) {
    channel.attr(CLOSE_REASON).setIfAbsent(reason);
    if (channel.isActive()) {
      channel.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
    } else {
      channel.close();
    }
  }

  /**
   * The peer broke the protocol: records the reason, drops whatever else it sent (unread, so one
   * write of a thousand bad frames is one violation) and closes at once.
   */
  public static void closeForViolation(Channel channel, String reason) {
    discardInput(channel);
    closeWith(channel, reason);
  }

  /** As {@link #closeForViolation}, after sending {@code frame} (a rejection). */
  public static void closeAfterViolation(Channel channel, Frame frame, String reason) {
    discardInput(channel);
    closeAfter(channel, frame, reason);
  }

  /** From now on the peer's input is dropped unread (by the frame decoder). */
  public static void discardInput(Channel channel) {
    channel.attr(DISCARDING).set(Boolean.TRUE);
  }

  /** True once the peer broke the protocol: its further input is dropped unread. */
  public static boolean isDiscarding(Channel channel) {
    return channel.attr(DISCARDING).get() != null;
  }

  /** True once a reason to close was recorded: a later error on the channel is a consequence, not news. */
  public static boolean isClosing(Channel channel) {
    return channel.attr(CLOSE_REASON).get() != null;
  }

  /** Marks the channel as the authenticated connection of this executor. */
  public static void authenticated(Channel channel, String executorId) {
    channel.attr(EXECUTOR_ID).set(executorId);
  }

  /** The executor this connection proved it is, or null while it has not authenticated. */
  public static String executorId(Channel channel) {
    return channel.attr(EXECUTOR_ID).get();
  }

  public static void recordReason(Channel channel, String reason) {
    channel.attr(CLOSE_REASON).setIfAbsent(reason);
  }

  public static String reason(Channel channel, String peerName) {
    String reason = channel.attr(CLOSE_REASON).get();
    return reason != null ? reason : "the connection to " + peerName + " was closed by the peer";
  }
}
