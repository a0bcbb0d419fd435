package io.ferry.driver.submit;

import io.ferry.driver.JobProgress;
import java.io.PrintStream;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Progress where nothing can be redrawn (stderr piped to a file or a CI log, {@code TERM=dumb}):
 * whole lines, never a carriage return. A line when tasks start after an idle spell (once two
 * samples in a row agree on how many were submitted, so that the line has the whole batch's total,
 * not the few submitted by the time of one sample) and when all
 * submitted tasks are done (at most one such line per {@link #MIN_GAP}), while they run at most one
 * per {@link #INTERVAL} and only when the counts changed, and a final one when the context closes
 * if the last line printed is not already the final state. No line is written while other output
 * (the application's stdout, often the same file or pipe as stderr) is half-way through a line:
 * it waits for that line to end.
 */
final class PlainProgress implements ProgressView {
  static final Duration INTERVAL = Duration.ofSeconds(5);
  static final Duration MIN_GAP = Duration.ofSeconds(1);

  private final PrintStream out;
  private final LongSupplier nanoClock;
  private final long startNanos;
  private JobProgress printed;
  private long printedNanos;
  private boolean busy;
  private long lastSubmitted = -1;
  private boolean lineOpen;

  PlainProgress(PrintStream out, LongSupplier nanoClock) {
    this.out = out;
    this.nanoClock = nanoClock;
    this.startNanos = nanoClock.getAsLong();
  }

  @Override
  public void sample(JobProgress p) {
    long previousSubmitted = lastSubmitted;
    lastSubmitted = p.submitted();
    if (p.submitted() == 0 || p.equals(printed) || lineOpen) {
      return;
    }
    long now = nanoClock.getAsLong();
    boolean boundary = busy == p.idle(); // tasks started after an idle spell, or all are done
    if (boundary && !busy && p.submitted() != previousSubmitted) {
      return; // still being submitted: wait for the batch's total
    }
    long since = now - printedNanos;
    boolean due = printed == null
        || (boundary ? since >= MIN_GAP.toNanos() : since >= INTERVAL.toNanos());
    if (due) {
      print(p, now);
    }
  }

  @Override
  public void beforeOutput(JobProgress progress) {
    // Whole lines only: nothing to get out of the way (sample waits while a line is open).
  }

  @Override
  public void afterOutput(boolean endedLine) {
    lineOpen = !endedLine;
  }

  @Override
  public void finish(JobProgress p) {
    if (p.submitted() > 0 && !p.equals(printed)) {
      print(p, nanoClock.getAsLong());
    }
  }

  private void print(JobProgress p, long now) {
    out.println(ProgressText.line(p, Duration.ofNanos(now - startNanos)));
    out.flush();
    printed = p;
    printedNanos = now;
    busy = !p.idle();
  }
}
