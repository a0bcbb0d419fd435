package io.ferry.mesos.http.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.channels.ClosedChannelException;

/** Hands each complete response, and the connection's failure or end, to the {@link CallSequencer}. */
final class CallResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
  private final CallSequencer sequencer;

  CallResponseHandler(CallSequencer sequencer) {
    this.sequencer = sequencer;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
    if (response.decoderResult().isFailure()) {
      sequencer.onChannelFailure(ctx.channel(), response.decoderResult().cause());
      ctx.close();
      return;
    }
    sequencer.onResponse(ctx.channel(), response);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    sequencer.onChannelFailure(ctx.channel(), cause);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    sequencer.onChannelFailure(ctx.channel(), new ClosedChannelException());
    ctx.fireChannelInactive();
  }
}
