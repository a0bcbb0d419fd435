package io.ferry.api;

import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A short encoding of the results most tasks return: {@code null}, {@link Boolean},
 * {@link Integer}, {@link Long}, {@link Double}, {@link String} and {@code byte[]}. Java
 * serialization of a {@code Long} is 82 bytes and, to read, an {@code ObjectInputStream} with its
 * header, two class descriptors (Long, Number), their resolution and the filter: most of the
 * driver's CPU per task when tasks are short (BENCHMARKS.md, "Where coarse time goes"). Here it is
 * a marker, a tag and the value.
 *
 * <p>The marker byte {@code 0xFE} can never begin a Java serialization stream (which begins with
 * {@code 0xACED}), so a reader tells the two apart by the first byte and reads both; these types
 * are plain JDK values that the deserialization filter always allows, so nothing the filter
 * would stop gets past it this way.
 */
final class CompactValues {
  /** First byte of a compact value. */
  static final byte MARKER = (byte) 0xFE;

  private static final byte NULL = 'N';
  private static final byte TRUE = 'T';
  private static final byte FALSE = 'F';
  private static final byte INT = 'I';
  private static final byte LONG = 'J';
  private static final byte DOUBLE = 'D';
  private static final byte STRING = 'S';
  private static final byte BYTES = 'B';

  private CompactValues() {}

  /** The value's compact bytes, or null if it is not of a type encoded here. */
  static byte[] encode(Object value) {
    if (value == null) {
      return new byte[] {MARKER, NULL};
    }
    Class<?> type = value.getClass();
    if (type == Long.class) {
      return ByteBuffer.allocate(10).put(MARKER).put(LONG).putLong((Long) value).array();
    }
    if (type == Integer.class) {
      return ByteBuffer.allocate(6).put(MARKER).put(INT).putInt((Integer) value).array();
    }
    if (type == Boolean.class) {
      return new byte[] {MARKER, (Boolean) value ? TRUE : FALSE};
    }
    if (type == Double.class) {
      return ByteBuffer.allocate(10).put(MARKER).put(DOUBLE).putLong(Double.doubleToRawLongBits((Double) value)).array();
    }
    if (type == String.class) {
      byte[] utf8 = ((String) value).getBytes(StandardCharsets.UTF_8);
      return ByteBuffer.allocate(2 + utf8.length).put(MARKER).put(STRING).put(utf8).array();
    }
    if (type == byte[].class) {
      byte[] raw = (byte[]) value;
      return ByteBuffer.allocate(2 + raw.length).put(MARKER).put(BYTES).put(raw).array();
    }
    return null;
  }

  static boolean isCompact(byte[] data) {
    return data.length >= 2 && data[0] == MARKER;
  }

  /** Reads bytes that {@link #isCompact}; a wrong length or tag is a corrupt stream, named. */
  static Object decode(byte[] data) throws StreamCorruptedException {
    byte tag = data[1];
    int body = data.length - 2;
    ByteBuffer in = ByteBuffer.wrap(data, 2, body);
    switch (tag) {
      case NULL -> {
        expect(tag, body, 0);
        return null;
      }
      case TRUE, FALSE -> {
        expect(tag, body, 0);
        return tag == TRUE;
      }
      case INT -> {
        expect(tag, body, 4);
        return in.getInt();
      }
      case LONG -> {
        expect(tag, body, 8);
        return in.getLong();
      }
      case DOUBLE -> {
        expect(tag, body, 8);
        return Double.longBitsToDouble(in.getLong());
      }
      case STRING -> {
        return new String(data, 2, body, StandardCharsets.UTF_8);
      }
      case BYTES -> {
        byte[] raw = new byte[body];
        System.arraycopy(data, 2, raw, 0, body);
        return raw;
      }
      default -> throw new StreamCorruptedException("a compact value with an unknown type tag 0x"
          + Integer.toHexString(tag & 0xff) + " (" + data.length + " bytes): written by a different Ferry version?");
    }
  }

  private static void expect(byte tag, int body, int length) throws StreamCorruptedException {
    if (body != length) {
      throw new StreamCorruptedException("a compact value of type '" + (char) tag + "' with " + body
          + " bytes after its tag (expected " + length + ")");
    }
  }
}
