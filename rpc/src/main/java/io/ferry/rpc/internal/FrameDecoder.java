package io.ferry.rpc.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Splits the stream into frame bodies (4-byte big-endian length, then the body) under a limit
 * that the driver raises once the peer has authenticated: a stranger may only send what a
 * handshake needs, so it cannot make the driver buffer {@code maxFrameBytes} per connection.
 *
 * <p>A length above the limit fails at once, before any of the body is buffered. After a
 * protocol violation ({@link LinkState#isDiscarding}) the rest of the input is dropped unread:
 * thousands of bad frames in one write cost one logged reason, not one each.
 */
final class FrameDecoder extends ByteToMessageDecoder {
  private int maxFrameBytes;
  private final String limitName;

  /** @param limitName what the limit is, for the error: e.g. "the handshake limit" */
  FrameDecoder(int maxFrameBytes, String limitName) {
    this.maxFrameBytes = maxFrameBytes;
    this.limitName = limitName;
  }

  /** Called on the channel's event loop (by the handshake, once the peer has proved its token). */
  void raiseLimit(int bytes) {
    maxFrameBytes = Math.max(maxFrameBytes, bytes);
  }

  int maxFrameBytes() {
    return maxFrameBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (LinkState.isDiscarding(ctx.channel())) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < 4) {
      return;
    }
    long length = in.getUnsignedInt(in.readerIndex());
    if (length > maxFrameBytes) {
      in.skipBytes(in.readableBytes());
      throw new TooLongFrameException("a length of " + length + " bytes, above " + limitName + " of "
          + maxFrameBytes + " bytes");
    }
    if (in.readableBytes() < 4 + length) {
      return;
    }
    in.skipBytes(4);
    out.add(in.readRetainedSlice((int) length));
  }
}
