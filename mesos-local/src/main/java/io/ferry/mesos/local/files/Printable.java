package io.ferry.mesos.local.files;

/**
 * Names a task or a client chose (file names, requested paths) as they may appear in a log line:
 * control characters escaped, so that a file named with a newline cannot forge log lines, and cut
 * to a length a log can hold.
 */
final class Printable {

  private static final int MAX = 300;

  private Printable() {}

  static String of(Object value) {
    String s = String.valueOf(value);
    StringBuilder out = new StringBuilder(Math.min(s.length(), MAX) + 8);
    for (int i = 0; i < s.length() && out.length() < MAX; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.length() >= MAX && s.length() > MAX ? out + "…" : out.toString();
  }
}
