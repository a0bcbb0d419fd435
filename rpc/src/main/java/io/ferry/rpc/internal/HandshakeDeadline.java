package io.ferry.rpc.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a driver-side connection that has not authenticated within the handshake timeout,
 * whatever it sends (a slow trickle resets no timer). It stands where the heartbeat handler
 * stands after the handshake, which replaces it: until then the peer gets no heartbeat, only a
 * challenge or a rejection.
 */
final class HandshakeDeadline extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(HandshakeDeadline.class);

  private final Duration timeout;
  private final UnauthenticatedPeerLog peerLog;
  private ScheduledFuture<?> timer;

  HandshakeDeadline(Duration timeout, UnauthenticatedPeerLog peerLog) {
    this.timeout = timeout;
    this.peerLog = peerLog;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    timer = ctx.executor().schedule(() -> expire(ctx), timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  private void expire(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive() || LinkState.isClosing(ctx.channel())) {
      return;
    }
    String reason = "no handshake within " + timeout.toMillis() + " ms (the handshake timeout)";
    peerLog.warn(log, "[driver] closing the connection from {}: {}", Peers.describe(ctx.channel()), reason);
    LinkState.closeForViolation(ctx.channel(), reason);
  }
}
