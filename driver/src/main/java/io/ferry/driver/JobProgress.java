package io.ferry.driver;

/**
 * Where the tasks of a {@link FerryContext} stand, counted since it started: one consistent
 * snapshot (every count from the same moment), cheap to read from any thread.
 *
 * <pre>{@code
 * JobProgress p = ferry.progress();
 * System.err.printf("%d/%d tasks done, %d running%n", p.done(), p.submitted(), p.running());
 * }</pre>
 *
 * @param submitted tasks accepted by {@link FerryContext#submit}
 * @param succeeded tasks whose result arrived
 * @param failed tasks that failed for good ({@code ferry.task.maxFailures} attempts, or the job was aborted)
 * @param cancelled tasks cancelled, or cut off by {@link FerryContext#close()}
 * @param running tasks with a live attempt on an executor (or a local thread)
 * @param failedAttempts attempts that failed on their own account (each retry of a task counts)
 * @param lostAttempts attempts cut off by the loss of their executor or agent (not task failures)
 */
public record JobProgress(long submitted, long succeeded, long failed, long cancelled, long running,
    long failedAttempts, long lostAttempts) {

  /** Before any task. */
  public static final JobProgress NONE = new JobProgress(0, 0, 0, 0, 0, 0, 0);

  /** Tasks that will not run again: succeeded, failed or cancelled. */
  public long done() {
    return succeeded + failed + cancelled;
  }

  /** Tasks waiting for an executor or slot (including those waiting to run again). */
  public long pending() {
    return submitted - done() - running;
  }

  /** Every submitted task is done (also true before the first). */
  public boolean idle() {
    return done() == submitted;
  }
}
