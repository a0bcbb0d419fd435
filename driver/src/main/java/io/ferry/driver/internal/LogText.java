package io.ferry.driver.internal;

/**
 * Text from peers (agents' host names and attributes, a master's error body) made safe for one log
 * line: control characters (a newline would forge a line, an escape sequence reaches the terminal)
 * become {@code \xNN}, and long text is cut.
 */
public final class LogText {
  private LogText() {}

  /** {@code text} with control characters escaped, at most about {@code max} characters (then {@code ...}). */
  public static String printable(String text, int max) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 8);
    int i = 0;
    for (; i < text.length() && out.length() < max; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        out.append(String.format("\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    return i < text.length() ? out + "..." : out.toString();
  }
}
