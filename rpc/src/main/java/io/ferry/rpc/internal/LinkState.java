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

  public static void recordReason(Channel channel, String reason) {
    channel.attr(CLOSE_REASON).setIfAbsent(reason);
  }

  public static String reason(Channel channel, String peerName) {
    String reason = channel.attr(CLOSE_REASON).get();
    return reason != null ? reason : "the connection to " + peerName + " was closed by the peer";
  }
}
