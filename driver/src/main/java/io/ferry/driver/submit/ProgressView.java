package io.ferry.driver.submit;

import io.ferry.driver.JobProgress;

/**
 * A way of showing {@link JobProgress} on stderr. {@link SubmitConsole} calls every method under
 * its one lock, from its sampling thread ({@link #sample}) and from the threads that write to
 * stdout and stderr ({@link #beforeOutput}, {@link #afterOutput}).
 */
interface ProgressView {
  /** The counts now (about ten times a second); draws when there is something new to show. */
  void sample(JobProgress progress);

  /** Another line is about to be written: get the progress out of its way. */
  void beforeOutput(JobProgress progress);

  /** It was written; {@code endedLine}: its last byte was a newline (the cursor is at a line's start). */
  void afterOutput(boolean endedLine);

  /** The context is closing: leave the final counts on their own line. */
  void finish(JobProgress progress);
}
