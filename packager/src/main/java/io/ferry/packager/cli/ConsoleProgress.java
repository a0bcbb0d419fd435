package io.ferry.packager.cli;

import io.ferry.packager.store.TransferListener;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress on stderr: a bar with throughput redrawn in place on a terminal, or one line at the
 * start and one at the end when the output is a file or a pipe (CI logs, Mesos sandboxes).
 */
final class ConsoleProgress implements TransferListener {

  private static final long REDRAW_NANOS = 100_000_000L;
  private static final int WIDTH = 30;

  private final PrintStream err;
  private final boolean terminal;
  private final String verb;
  private String what;
  private long total;
  private long done;
  private long startNanos;
  private long lastDraw;

  ConsoleProgress(PrintStream err, boolean terminal, String verb) {
    this.err = err;
    this.terminal = terminal;
    this.verb = verb;
  }

  /** A terminal is attached when the JVM has a console and TERM is not dumb. */
  static boolean isTerminal() {
    return System.console() != null && !"dumb".equals(System.getenv("TERM"));
  }

  @Override
  public void started(String what, long totalBytes) {
    this.what = what;
    this.total = totalBytes;
    this.done = 0;
    this.startNanos = System.nanoTime();
    if (!terminal) {
      err.println(verb + " " + what + (totalBytes >= 0 ? " (" + size(totalBytes) + ")" : ""));
    }
  }

  @Override
  public void transferred(long bytes) {
    done += bytes;
    if (terminal) {
      long now = System.nanoTime();
      if (now - lastDraw >= REDRAW_NANOS) {
        lastDraw = now;
        draw(now);
      }
    }
  }

  @Override
  public void finished(boolean success) {
    long now = System.nanoTime();
    if (terminal) {
      draw(now);
      err.println();
    }
    double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
    err.printf(Locale.ROOT, "%s %s: %s in %.2f s (%s/s)%n", success ? "done" : "failed", verb,
        size(done), seconds, size((long) (done / seconds)));
  }

  private void draw(long now) {
    double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
    String rate = size((long) (done / seconds)) + "/s";
    if (total > 0) {
      int filled = (int) Math.min(WIDTH, WIDTH * done / total);
      String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
      err.printf(Locale.ROOT, "\r[%s] %3d%% %s / %s %s   ", bar, 100 * done / total, size(done),
          size(total), rate);
    } else {
      err.printf(Locale.ROOT, "\r%s %s   ", size(done), rate);
    }
    err.flush();
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
