package io.ferry.rpc.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ferry.rpc.proto.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.MessageToByteEncoder;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.io.IOException;
import java.util.List;

/**
 * The link's framing: a 4-byte big-endian length, then one serialized {@link Frame}. A length above
 * the maximum or bytes that do not parse raise a decoder exception; {@link LinkErrors} turns it
 * into a logged reason and a closed connection.
 */
public final class FrameCodec {
  private FrameCodec() {}

  /** Flushes that may wait for the next one (or the end of the read, or the loop's next turn). */
  static final int FLUSHES_PER_WRITE = 256;

  /** The most a peer may send in one frame before it has authenticated: a Hello or a Proof fits easily. */
  public static final int HANDSHAKE_FRAME_BYTES = 4096;

  /** Framing with one limit for the connection's life (the executor's side). */
  public static void addTo(ChannelPipeline pipeline, int maxFrameBytes) {
    addTo(pipeline, maxFrameBytes, "the frame limit");
  }

  /**
   * Framing for the driver's side of a connection that has not authenticated: frames are capped at
   * {@link #HANDSHAKE_FRAME_BYTES} until {@link #raiseLimit} is called after the handshake.
   */
  public static void addUnauthenticated(ChannelPipeline pipeline) {
    addTo(pipeline, HANDSHAKE_FRAME_BYTES, "the limit before the handshake");
  }

  /** Lets an authenticated peer send frames up to {@code maxFrameBytes}. Call on the event loop. */
  public static void raiseLimit(ChannelPipeline pipeline, int maxFrameBytes) {
    ((FrameDecoder) pipeline.get("frame-length")).raiseLimit(maxFrameBytes);
  }

  private static void addTo(ChannelPipeline pipeline, int maxFrameBytes, String limitName) {
    // Flushes while a read is in progress wait for the end of the read: frames written in answer
    // to a read (jar chunks, handshake replies) leave in one write(2). Frames sent from other
    // threads (tasks, results) are batched by FrameOutbox, which flushes once per batch: that flush
    // goes out at once, not one more loop task later (consolidateWhenNoReadInProgress off).
    pipeline.addLast("flush-consolidation", new FlushConsolidationHandler(FLUSHES_PER_WRITE, false));
    pipeline.addLast("frame-length", new FrameDecoder(maxFrameBytes, limitName));
    pipeline.addLast("frame-parser", new Parser());
    pipeline.addLast("frame-writer", new Writer());
  }

  static final class Parser extends MessageToMessageDecoder<ByteBuf> {
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws IOException {
      if (!in.isReadable()) {
        throw new CorruptedFrameException("an empty frame (length 0)");
      }
      try {
        out.add(parse(in));
      } catch (InvalidProtocolBufferException e) {
        throw new CorruptedFrameException("a frame that is not a Ferry message: " + e.getMessage(), e);
      }
    }
  }

  /**
   * Reads the frame straight from the buffer's memory: a stream over it would make protobuf
   * allocate and fill a 4 KiB buffer per frame, a visible cost per task at high rates.
   */
  private static Frame parse(ByteBuf in) throws IOException {
    if (in.nioBufferCount() == 1) {
      return Frame.parseFrom(CodedInputStream.newInstance(in.nioBuffer()));
    }
    try (ByteBufInputStream stream = new ByteBufInputStream(in)) {
      return Frame.parseFrom(stream);
    }
  }

  /** Bytes of {@code frame} on the wire: its length prefix and its body. */
  static int wireSize(Frame frame) {
    return 4 + frame.getSerializedSize();
  }

  /** Appends {@code frame}, length first, to {@code out}, which has {@link #wireSize} bytes writable. */
  static void writeTo(Frame frame, ByteBuf out) throws IOException {
    int size = frame.getSerializedSize();
    out.writeInt(size);
    // Straight into the buffer's memory: Frame.writeTo(OutputStream) would allocate a staging
    // buffer per frame.
    CodedOutputStream coded = CodedOutputStream.newInstance(out.nioBuffer(out.writerIndex(), size));
    frame.writeTo(coded);
    coded.flush();
    out.writerIndex(out.writerIndex() + size);
  }

  static final class Writer extends MessageToByteEncoder<Frame> {
    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, ByteBuf out) throws IOException {
      out.ensureWritable(wireSize(frame));
      writeTo(frame, out);
    }
  }
}
