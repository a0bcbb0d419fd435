package io.ferry.mesos.local.fetcher.internal;

import java.nio.charset.StandardCharsets;

/**
 * Text that came from a peer or an archive (an entry name, a link target, a server's or a
 * decompressor's message) quoted in a failure reason. A reason goes into a task's status, the
 * sandbox's {@code stderr} and the agent's log, so quoted text is cut to a length a person reads
 * (an ellipsis marks the cut) and control and bidirectional-format characters are escaped: a
 * 4 KB entry name or a newline in a link target cannot flood or forge a line.
 */
public final class ReasonText {

  /** What a reason quotes of one string, in characters, before the ellipsis. */
  public static final int MAX_QUOTED = 120;

  private ReasonText() {}

  /** {@code text} escaped and cut to {@value #MAX_QUOTED} characters. */
  public static String quote(String text) {
    return quote(text, MAX_QUOTED);
  }

  /** {@code text} escaped and cut to {@code max} characters of output, then {@code …}. */
  public static String quote(String text, int max) {
    return escape(text, max, true);
  }

  /**
   * A whole reason made safe as one line of at most {@code max} characters: control characters
   * escaped, backslashes left alone (the quoted parts inside it are escaped already).
   */
  public static String line(String text, int max) {
    return escape(text, max, false);
  }

  private static String escape(String text, int max, boolean backslash) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 8);
    int i = 0;
    while (i < text.length()) {
      if (out.length() >= max) {
        return out.append('…').toString();
      }
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (cp == '\\' && backslash) {
            out.append("\\\\");
            continue;
          }
          if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) {
            out.append(String.format("\\u%04x", cp));
          } else {
            out.appendCodePoint(cp);
          }
        }
      }
    }
    return out.toString();
  }

  /** The UTF-8 length of {@code text}: what the file system counts against its limits. */
  public static int utf8Bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  /** {@code bytes} for a person: {@code 8 MiB}, {@code 1.5 GiB}, {@code 512 bytes}. */
  public static String size(long bytes) {
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    if (bytes < 1024) {
      return bytes + " bytes";
    }
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    String number = value == Math.rint(value) ? Long.toString((long) value)
        : String.format(java.util.Locale.ROOT, "%.1f", value);
    return number + " " + units[unit];
  }
}
