package io.ferry.mesos.recordio;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Frames each outbound {@link ByteBuf} as one RecordIO record: {@code <length>\n<bytes>}.
 *
 * <pre>{@code
 * pipeline.addLast(new RecordIoEncoder());
 * channel.writeAndFlush(Unpooled.wrappedBuffer(ContentType.JSON.encode(event)));
 * }</pre>
 *
 * <p>Empty records are refused with a {@link RecordIoException}: a length of 0 is not valid
 * RecordIO, and {@link RecordIoDecoder} would reject it.
 */
public final class RecordIoEncoder extends MessageToByteEncoder<ByteBuf> {

  public RecordIoEncoder() {
    super(ByteBuf.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, ByteBuf record, ByteBuf out) {
    int length = record.readableBytes();
    if (length == 0) {
      throw new RecordIoException("RecordIO records are never empty: refusing to encode a 0-byte record");
    }
    out.writeCharSequence(Integer.toString(length), StandardCharsets.US_ASCII);
    out.writeByte('\n');
    out.writeBytes(record);
  }

  @Override
  protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, ByteBuf record, boolean preferDirect) {
    int length = record.readableBytes();
    int size = Integer.toString(length).length() + 1 + length;
    return preferDirect ? ctx.alloc().ioBuffer(size) : ctx.alloc().heapBuffer(size);
  }
}
