package io.ferry.rpc.internal;

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
 * (oversized or malformed frame, TLS failure, reset) into one logged reason and a close.
 */
public final class LinkErrors extends ChannelDuplexHandler {
  private static final Logger log = LoggerFactory.getLogger(LinkErrors.class);

  private final String side;
  private final Duration heartbeatTimeout;

  /** @param side names our end in logs: "driver" or "executor" */
  public LinkErrors(String side, Duration heartbeatTimeout) {
    this.side = side;
    this.heartbeatTimeout = heartbeatTimeout;
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
    String reason = describe(cause);
    if (cause instanceof IOException && !(cause instanceof SSLException)) {
      log.debug("[{}] connection with {} failed: {}", side, Peers.describe(ctx.channel()), reason);
    } else {
      log.warn("[{}] closing the connection with {}: {}", side, Peers.describe(ctx.channel()), reason);
    }
    LinkState.closeWith(ctx.channel(), reason);
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
