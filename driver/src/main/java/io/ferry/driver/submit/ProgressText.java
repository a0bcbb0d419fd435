package io.ferry.driver.submit;

import io.ferry.driver.JobProgress;
import java.time.Duration;

/**
 * The one line both progress displays print:
 * {@code [ferry] 12/20 tasks done, 4 running, 4 waiting, 1 failed, 2 lost, 0:07}. "waiting" are tasks
 * not running now (for an offer, a free slot, or to run again); "failed" counts attempts
 * that failed on their own account (each retry), "lost" attempts cut off with their executor or
 * agent; tasks given up on or cancelled show in brackets after "done" only when there are any.
 */
final class ProgressText {
  private ProgressText() {}

  static String line(JobProgress p, Duration elapsed) {
    StringBuilder b = new StringBuilder("[ferry] ").append(p.done()).append('/').append(p.submitted())
        .append(p.submitted() == 1 ? " task done" : " tasks done");
    if (p.failed() > 0 || p.cancelled() > 0) {
      b.append(" (");
      if (p.failed() > 0) {
        b.append(p.failed()).append(" gave up");
      }
      if (p.cancelled() > 0) {
        b.append(p.failed() > 0 ? ", " : "").append(p.cancelled()).append(" cancelled");
      }
      b.append(')');
    }
    return b.append(", ").append(p.running()).append(" running, ")
        .append(p.pending()).append(" waiting, ")
        .append(p.failedAttempts()).append(" failed, ")
        .append(p.lostAttempts()).append(" lost, ")
        .append(clock(elapsed)).toString();
  }

  /** {@code m:ss}, or {@code h:mm:ss} from an hour on. */
  static String clock(Duration elapsed) {
    long s = Math.max(0, elapsed.toSeconds());
    return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format("%d:%02d", s / 60, s % 60);
  }

  /** At most {@code width} characters (a line as wide as the terminal would wrap at its last column). */
  static String fit(String line, int width) {
    return line.length() <= width ? line : line.substring(0, Math.max(0, width));
  }
}
