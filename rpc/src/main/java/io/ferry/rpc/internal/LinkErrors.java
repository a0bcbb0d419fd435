package io.ferry.rpc.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.time.Duration;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tail of every link pipeline: sends a heartbeat when we have been quiet for the interval,
 * closes the connection when the peer has been silent past the timeout, and turns any error
 * (oversized or malformed frame, TLS failure, reset) into one logged reason and a close. On the
 * driver the heartbeat starts only after the handshake (the idle handler is installed then), and
 * errors of peers that have not authenticated are logged through the rate-limited
 * {@link UnauthenticatedPeerLog}.
 */
public final class LinkErrors extends ChannelDuplexHandler {
  private static final Logger log = LoggerFactory.getLogger(LinkErrors.class);

  private final String side;
  private final Duration heartbeatTimeout;
  private final UnauthenticatedPeerLog peerLog;

  /** The executor's end: it only ever talks to its driver. */
  public static LinkErrors executor(Duration heartbeatTimeout) {
    return new LinkErrors("executor", heartbeatTimeout, null);
  }

  /** The driver's end: errors of peers that have not authenticated go to the rate-limited {@code peerLog}. */
  public static LinkErrors driver(Duration heartbeatTimeout, UnauthenticatedPeerLog peerLog) {
    return new LinkErrors("driver", heartbeatTimeout, peerLog);
  }

  /** @param side names our end in logs: "driver" or "executor" */
  private LinkErrors(String side, Duration heartbeatTimeout, UnauthenticatedPeerLog peerLog) {
    this.side = side;
    this.heartbeatTimeout = heartbeatTimeout;
    this.peerLog = peerLog;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent idle) {
      if (idle.state() == IdleState.WRITER_IDLE) {
        ctx.writeAndFlush(Frames.heartbeat());
      } else if (idle.state() == IdleState.READER_IDLE) {
        String reason = "no frame from " + Peers.describe(ctx.channel()) + " for "
            + heartbeatTimeout.toMillis() + " ms (the heartbeat timeout): the peer is gone, stalled or unreachable";
        log.warn("[{}] closing the link: {}", side, reason);
        LinkState.closeWith(ctx.channel(), reason);
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Channel channel = ctx.channel();
    String reason = describe(cause);
    if (LinkState.isClosing(channel) || cause instanceof IOException && !(cause instanceof SSLException)) {
      // A reset, or the aftermath of a close already logged with its reason: one line per peer.
      log.debug("[{}] connection with {} failed: {}", side, Peers.describe(channel), reason);
    } else if (peerLog != null && LinkState.executorId(channel) == null) {
      peerLog.warn(log, "[{}] closing the connection from {}: {}", side, Peers.describe(channel), reason);
    } else {
      log.warn("[{}] closing the connection with {}: {}", side, Peers.describe(channel), reason);
    }
    LinkState.closeForViolation(channel, reason);
  }

  static String describe(Throwable cause) {
    Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (root instanceof TooLongFrameException) {
      return "received an oversized frame (" + root.getMessage() + ")";
    }
    if (root instanceof NotSslRecordException) {
      return "the peer does not speak TLS but TLS is required";
    }
    if (root instanceof SSLException) {
      return "TLS failed: " + rootMessage(root);
    }
    if (cause instanceof DecoderException) {
      return "received a malformed frame: " + rootMessage(root);
    }
    return rootMessage(cause);
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message;
  }
}
