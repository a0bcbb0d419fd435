package io.ferry.rpc;

/**
 * Makes text a peer sent safe to log: one line, no terminal escape sequences, bounded length.
 * Anyone can connect to the driver port and put anything in a {@code Hello}; logged as sent, a
 * newline forges a whole log line and an escape sequence reaches the operator's terminal.
 *
 * <p>Backslash, control characters (C0, DEL, C1), the Unicode line and paragraph separators and
 * the bidirectional overrides become Java-style escapes (a newline: backslash and n; ESC: backslash
 * and u001b), so the escaped form is unambiguous; text beyond
 * {@link #MAX_CHARS} is cut with a note of how much was left out. Printable text, including
 * non-ASCII letters, is kept as it is.
 *
 * <pre>{@code
 * log.warn("rejected executor {}", PeerText.escape(hello.getExecutorId()));
 * }</pre>
 */
public final class PeerText {
  /** The most characters of one peer-supplied string that reach a log line. */
  public static final int MAX_CHARS = 256;

  private PeerText() {}

  public static String escape(String text) {
    return escape(text, MAX_CHARS);
  }

  /** {@link #escape(String)} with at most {@code maxChars} characters of {@code text} kept. */
  public static String escape(String text, int maxChars) {
    if (text == null) {
      return "null";
    }
    int end = Math.min(text.length(), maxChars);
    StringBuilder out = new StringBuilder(end + 16);
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (needsEscape(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    if (text.length() > end) {
      out.append("...(").append(text.length() - end).append(" more chars)");
    }
    return out.toString();
  }

  private static boolean needsEscape(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f)
        || c == '\u2028' || c == '\u2029' // line and paragraph separators
        || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069'); // bidi overrides
  }
}
