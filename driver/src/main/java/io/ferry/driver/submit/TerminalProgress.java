package io.ferry.driver.submit;

import io.ferry.driver.JobProgress;
import java.io.PrintStream;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The progress line on a terminal, redrawn in place: a carriage return, the line (at most the
 * terminal's width less one, so it never wraps), spaces over what the last one left. At most one
 * redraw per {@link #MIN_REDRAW}. Before any other output the line is wiped (carriage return,
 * spaces, carriage return) so the two never share a row, or, when every task is done, left in
 * place with a newline as the record of the job; it is drawn again at the next sample. While other
 * output has left a row unfinished (no newline yet) nothing is drawn, so a prompt or a partial
 * line is never overwritten.
 */
final class TerminalProgress implements ProgressView {
  static final Duration MIN_REDRAW = Duration.ofMillis(100);

  private final PrintStream out;
  private final int width;
  private final LongSupplier nanoClock;
  private final long startNanos;
  /** The text on screen now, the cursor at its end; null when the row is clear. */
  private String shown;
  /** The counts last left on their own line (job end, or finish); nothing new to draw while idle at them. */
  private JobProgress settled;
  private boolean midLine;
  private long lastDrawNanos;
  private boolean drawnOnce;

  TerminalProgress(PrintStream out, int width, LongSupplier nanoClock) {
    this.out = out;
    this.width = Math.max(10, width) - 1;
    this.nanoClock = nanoClock;
    this.startNanos = nanoClock.getAsLong();
  }

  @Override
  public void sample(JobProgress p) {
    if (p.submitted() == 0 || midLine || (shown == null && p.idle() && p.equals(settled))) {
      return;
    }
    String text = text(p);
    long now = nanoClock.getAsLong();
    if (text.equals(shown) || (drawnOnce && now - lastDrawNanos < MIN_REDRAW.toNanos())) {
      return;
    }
    draw(text, now);
  }

  @Override
  public void beforeOutput(JobProgress p) {
    if (shown == null) {
      return;
    }
    if (p.idle()) {
      draw(text(p), nanoClock.getAsLong());
      out.print('\n');
      settled = p;
    } else {
      out.print("\r" + " ".repeat(shown.length()) + "\r");
    }
    out.flush();
    shown = null;
  }

  @Override
  public void afterOutput(boolean endedLine) {
    midLine = !endedLine;
  }

  @Override
  public void finish(JobProgress p) {
    if (p.submitted() == 0 || (shown == null && p.equals(settled))) {
      return;
    }
    if (midLine) {
      out.print('\n');
      midLine = false;
    }
    draw(text(p), nanoClock.getAsLong());
    out.print('\n');
    out.flush();
    shown = null;
    settled = p;
  }

  private String text(JobProgress p) {
    return ProgressText.fit(ProgressText.line(p, Duration.ofNanos(nanoClock.getAsLong() - startNanos)), width);
  }

  private void draw(String text, long now) {
    int leftOver = shown == null ? 0 : Math.max(0, shown.length() - text.length());
    out.print("\r" + text + " ".repeat(leftOver));
    out.flush();
    shown = text;
    lastDrawNanos = now;
    drawnOnce = true;
  }
}
