package io.ferry.mesos.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.channels.ClosedChannelException;

/**
 * Judges the SUBSCRIBE response head. A 200 opens the stream: the body's bytes go on to the
 * RecordIO decoder and the last chunk becomes {@link StreamEnd}. Any other status is read to the
 * end (keeping the start of the body for the error) and handed to the session to redirect, retry
 * or fail. Failures before the head belong to the attempt, not to a stream, so they stop here.
 */
final class SubscribeResponseHandler extends ChannelInboundHandlerAdapter {
  private enum Phase { AWAITING_HEAD, STREAMING, READING_REJECTION, DONE }

  private final StreamSession<?, ?> session;
  private Phase phase = Phase.AWAITING_HEAD;
  private HttpResponse rejection;
  private final ByteArrayOutputStream rejectionBody = new ByteArrayOutputStream();

  SubscribeResponseHandler(StreamSession<?, ?> session) {
    this.session = session;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpObject object && object.decoderResult().isFailure()) {
        exceptionCaught(ctx, object.decoderResult().cause());
        return;
      }
      if (msg instanceof HttpResponse head && phase == Phase.AWAITING_HEAD) {
        if (head.status().code() == 200) {
          phase = Phase.STREAMING;
          session.onStreamOpened(ctx.channel(), head);
        } else {
          phase = Phase.READING_REJECTION;
          rejection = head;
        }
      }
      if (msg instanceof HttpContent content) {
        onContent(ctx, content);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onContent(ChannelHandlerContext ctx, HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    ByteBuf bytes = content.content();
    if (phase == Phase.STREAMING) {
      if (bytes.isReadable()) {
        ctx.fireChannelRead(bytes.retain());
      }
      if (last) {
        phase = Phase.DONE;
        ctx.fireUserEventTriggered(StreamEnd.INSTANCE);
      }
    } else if (phase == Phase.READING_REJECTION) {
      int room = Failures.BODY_PREFIX + 1 - rejectionBody.size();
      if (room > 0) {
        int take = Math.min(room, bytes.readableBytes());
        byte[] chunk = new byte[take];
        bytes.getBytes(bytes.readerIndex(), chunk);
        rejectionBody.write(chunk, 0, take);
      }
      if (last) {
        phase = Phase.DONE;
        session.onRejected(ctx.channel(), rejection.status().code(),
            rejection.headers().get(HttpHeaderNames.LOCATION), rejectionBody.toByteArray());
      }
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (phase == Phase.STREAMING) {
      ctx.fireExceptionCaught(cause);
      return;
    }
    if (phase != Phase.DONE) {
      phase = Phase.DONE;
      session.onAttemptFailed(ctx.channel(), cause);
    }
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (phase == Phase.AWAITING_HEAD || phase == Phase.READING_REJECTION) {
      phase = Phase.DONE;
      session.onAttemptFailed(ctx.channel(), new ClosedChannelException());
    }
    ctx.fireChannelInactive();
  }
}
