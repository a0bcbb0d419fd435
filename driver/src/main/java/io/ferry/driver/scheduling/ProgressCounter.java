package io.ferry.driver.scheduling;

import io.ferry.driver.JobProgress;

/**
 * The {@link TaskScheduler}'s task counts, changed only under the scheduler's lock and published
 * as one immutable {@link JobProgress} through a volatile field: a reader (ferry-submit's progress
 * display samples it ten times a second) never takes the scheduler's lock and never sees counts
 * from two different moments.
 */
final class ProgressCounter {
  private long submitted;
  private long succeeded;
  private long failed;
  private long cancelled;
  private long running;
  private long failedAttempts;
  private long lostAttempts;
  private volatile JobProgress current = JobProgress.NONE;

  JobProgress current() {
    return current;
  }

  void submitted() {
    submitted++;
    publish();
  }

  void started() {
    running++;
    publish();
  }

  /** An attempt that never started (launch refused, offer rescinded): the task waits again. */
  void unlaunched() {
    running--;
    publish();
  }

  void succeeded() {
    running--;
    succeeded++;
    publish();
  }

  /** The live attempt ended badly; {@code last}: the task will not run again. */
  void attemptEnded(boolean lost, boolean last) {
    running--;
    if (lost) {
      lostAttempts++;
    } else {
      failedAttempts++;
    }
    if (last) {
      failed++;
    }
    publish();
  }

  /** A task ended without a result of its own: cancelled or closed ({@code failure} false), or aborted. */
  void ended(boolean wasRunning, boolean failure) {
    if (wasRunning) {
      running--;
    }
    if (failure) {
      failed++;
    } else {
      cancelled++;
    }
    publish();
  }

  private void publish() {
    current = new JobProgress(submitted, succeeded, failed, cancelled, running, failedAttempts, lostAttempts);
  }
}
