package io.ferry.mesos.recordio;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Splits a RecordIO byte stream into records, one {@link ByteBuf} per record (the receiver
 * releases it). Chunk boundaries mean nothing: a record may arrive in many reads, and one read may
 * hold many records.
 *
 * <pre>{@code
 * pipeline.addLast(new RecordIoDecoder(64 * 1024 * 1024));
 * pipeline.addLast(new SimpleChannelInboundHandler<ByteBuf>() { ... one record per call ... });
 * }</pre>
 *
 * <p>A length line must be 1 to 20 ASCII digits (a uint64), not 0, and not above the maximum
 * record size, followed by {@code \n}. Anything else raises a {@link RecordIoException}, after
 * which the decoder discards all further input: with the framing lost there is no way back into
 * the stream. Memory is bounded by what has actually arrived; a claimed length is never
 * allocated up front, so a hostile length costs nothing.
 */
public final class RecordIoDecoder extends ByteToMessageDecoder {

  /** Digits in 18446744073709551615, the largest uint64. */
  static final int MAX_LENGTH_DIGITS = 20;

  private static final long READING_LENGTH = -1;

  private final int maxRecordSize;
  private long recordLength = READING_LENGTH;
  private boolean corrupted;

  /**
   * @param maxRecordSize the largest record accepted, in bytes; must be positive
   */
  public RecordIoDecoder(int maxRecordSize) {
    if (maxRecordSize <= 0) {
      throw new IllegalArgumentException("maxRecordSize: " + maxRecordSize + " (expected: > 0)");
    }
    this.maxRecordSize = maxRecordSize;
  }

  public int maxRecordSize() {
    return maxRecordSize;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (corrupted) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (recordLength == READING_LENGTH && !readLengthLine(in)) {
      return;
    }
    if (in.readableBytes() < recordLength) {
      return;
    }
    out.add(in.readRetainedSlice((int) recordLength));
    recordLength = READING_LENGTH;
  }

  /** Consumes a complete length line, or nothing when the line is still incomplete. */
  private boolean readLengthLine(ByteBuf in) {
    int start = in.readerIndex();
    int window = Math.min(in.readableBytes(), MAX_LENGTH_DIGITS + 1);
    int newline = in.indexOf(start, start + window, (byte) '\n');
    if (newline < 0) {
      if (in.readableBytes() > MAX_LENGTH_DIGITS) {
        throw corrupt("RecordIO length line '" + printable(in, start, MAX_LENGTH_DIGITS)
            + "...' is longer than " + MAX_LENGTH_DIGITS + " characters", in);
      }
      return false;
    }
    recordLength = parseLength(in, start, newline - start);
    in.readerIndex(newline + 1);
    return true;
  }

  private long parseLength(ByteBuf in, int start, int digits) {
    if (digits == 0) {
      throw corrupt("RecordIO length line is empty", in);
    }
    for (int i = start; i < start + digits; i++) {
      byte b = in.getByte(i);
      if (b < '0' || b > '9') {
        throw corrupt("RecordIO length line '" + printable(in, start, digits)
            + "' is not a decimal number", in);
      }
    }
    String text = in.toString(start, digits, StandardCharsets.US_ASCII);
    // Twenty digits can exceed uint64; those are over any int maximum all the same.
    long length;
    try {
      length = Long.parseUnsignedLong(text);
    } catch (NumberFormatException e) {
      length = -1; // compares, unsigned, as the largest value
    }
    if (length == 0) {
      throw corrupt("RecordIO record length " + text + " is invalid (records are never empty)", in);
    }
    if (Long.compareUnsigned(length, maxRecordSize) > 0) {
      throw corrupt("RecordIO record length " + text + " exceeds the maximum record size of "
          + maxRecordSize + " bytes", in);
    }
    return length;
  }

  private RecordIoException corrupt(String message, ByteBuf in) {
    corrupted = true;
    in.skipBytes(in.readableBytes());
    return new RecordIoException(message);
  }

  /** The bytes as text, with anything but printable ASCII escaped, for error messages. */
  private static String printable(ByteBuf in, int start, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = start; i < start + length; i++) {
      int b = in.getByte(i) & 0xff;
      if (b >= 0x20 && b < 0x7f && b != '\\') {
        text.append((char) b);
      } else {
        text.append(String.format("\\x%02x", b));
      }
    }
    return text.toString();
  }
}
