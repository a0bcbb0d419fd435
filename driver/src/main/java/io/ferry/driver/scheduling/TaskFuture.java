package io.ferry.driver.scheduling;

import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/** The future {@code FerryContext.submit} returns: cancelling it kills the task. */
public final class TaskFuture<R> extends CompletableFuture<R> {
  private final long taskId;
  private volatile LongConsumer onCancel = id -> { };
  private volatile long attemptStartNanos;

  TaskFuture(long taskId) {
    this.taskId = taskId;
  }

  public long taskId() {
    return taskId;
  }

  /**
   * {@link System#nanoTime()} when the attempt whose result completed this future was started
   * (fine mode: when an offer was taken for it; coarse mode: when it was sent to a slot; local:
   * when a thread took it); 0 if no attempt succeeded. For benchmarks and diagnostics: with the
   * submit and completion times it splits a task's round trip into waiting and running.
   */
  public long attemptStartNanos() {
    return attemptStartNanos;
  }

  void attemptStarted(long nanos) {
    this.attemptStartNanos = nanos;
  }

  void onCancel(LongConsumer action) {
    this.onCancel = action;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      onCancel.accept(taskId);
    }
    return cancelled;
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }
}
