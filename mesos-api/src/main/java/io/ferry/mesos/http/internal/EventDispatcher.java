package io.ferry.mesos.http.internal;

import com.google.protobuf.Message;
import io.ferry.mesos.http.MesosStreamException;
import io.ferry.mesos.http.MesosStreamException.Reason;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The end of the stream pipeline: hands Events to the session's listener queue, pauses reading
 * while the listener lags, and turns whatever ends the stream (last chunk, idle timeout, bad
 * bytes, lost connection) into the one {@link MesosStreamException} the listener is told.
 */
final class EventDispatcher<E extends Message> extends ChannelInboundHandlerAdapter {
  private final StreamSession<?, E> session;
  /** The first reason the stream is ending; later ones are consequences. */
  private MesosStreamException ending;

  EventDispatcher(StreamSession<?, E> session) {
    this.session = session;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (ending != null) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (session.deliver((E) msg) >= ListenerQueue.HIGH_WATER) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent) {
      // Reading is paused for a slow listener: the silence is ours, not the server's.
      if (ctx.channel().config().isAutoRead()) {
        end(ctx, Reason.IDLE_TIMEOUT, "nothing received for "
            + Failures.format(session.context().config().streamIdleTimeout()) + " (stream idle timeout)", null);
      }
    } else if (event == StreamEnd.INSTANCE) {
      end(ctx, Reason.ENDED_BY_SERVER, "the server ended the stream", null);
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof DecoderException) {
      end(ctx, Reason.MALFORMED_STREAM, "malformed stream: " + cause.getMessage(), cause);
    } else {
      end(ctx, Reason.CONNECTION_LOST, "the connection failed: " + cause, cause);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (ending == null) {
      ending = session.streamException(Reason.CONNECTION_LOST, "the connection closed mid-stream", null);
    }
    session.onStreamClosed(ctx.channel(), ending);
    ctx.fireChannelInactive();
  }

  private void end(ChannelHandlerContext ctx, Reason reason, String detail, Throwable cause) {
    if (ending == null) {
      ending = session.streamException(reason, detail, cause);
    }
    ctx.close();
  }
}
