package io.ferry.mesos.local.files;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Compact JSON as Mesos writes it (stout over rapidjson): no spaces, object keys in the order the
 * caller gives them (callers give them sorted, as stout's {@code std::map} does), strings escaped
 * as rapidjson escapes them ({@code \"}, {@code \\}, {@code \b \t \n \f \r}, other control bytes as
 * a backslash, {@code u00} and two upper-case hex digits) and every other byte copied as it is.
 * File data is written as raw bytes, like Mesos's {@code std::string}: a read that ends inside a
 * multi-byte character, or a binary file, yields the same bytes Mesos would send.
 */
final class JsonBytes {

  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
  private boolean needComma;

  JsonBytes beginObject() {
    separate();
    out.write('{');
    needComma = false;
    return this;
  }

  JsonBytes endObject() {
    out.write('}');
    needComma = true;
    return this;
  }

  JsonBytes beginArray() {
    separate();
    out.write('[');
    needComma = false;
    return this;
  }

  JsonBytes endArray() {
    out.write(']');
    needComma = true;
    return this;
  }

  JsonBytes key(String key) {
    separate();
    string(key.getBytes(StandardCharsets.UTF_8));
    out.write(':');
    needComma = false;
    return this;
  }

  JsonBytes value(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    return value(utf8, 0, utf8.length);
  }

  /** A string made of {@code length} raw bytes of {@code bytes} from {@code from}. */
  JsonBytes value(byte[] bytes, int from, int length) {
    separate();
    out.write('"');
    for (int i = from; i < from + length; i++) {
      escape(bytes[i]);
    }
    out.write('"');
    needComma = true;
    return this;
  }

  JsonBytes value(long number) {
    separate();
    ascii(Long.toString(number));
    needComma = true;
    return this;
  }

  /** A whole number of seconds held as a double, as rapidjson prints it ({@code 1348258116.0}). */
  JsonBytes secondsAsDouble(long seconds) {
    separate();
    ascii(seconds + ".0");
    needComma = true;
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  private void string(byte[] utf8) {
    out.write('"');
    for (byte b : utf8) {
      escape(b);
    }
    out.write('"');
  }

  private void escape(byte b) {
    int c = b & 0xff;
    switch (c) {
      case '"' -> ascii("\\\"");
      case '\\' -> ascii("\\\\");
      case '\b' -> ascii("\\b");
      case '\t' -> ascii("\\t");
      case '\n' -> ascii("\\n");
      case '\f' -> ascii("\\f");
      case '\r' -> ascii("\\r");
      default -> {
        if (c < 0x20) {
          ascii("\\" + "u00");
          out.write(HEX[c >> 4]);
          out.write(HEX[c & 0xf]);
        } else {
          out.write(c);
        }
      }
    }
  }

  private void separate() {
    if (needComma) {
      out.write(',');
    }
  }

  private void ascii(String s) {
    out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
  }
}
