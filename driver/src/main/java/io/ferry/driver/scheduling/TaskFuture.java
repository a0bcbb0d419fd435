package io.ferry.driver.scheduling;

import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/** The future {@code FerryContext.submit} returns: cancelling it kills the task. */
public final class TaskFuture<R> extends CompletableFuture<R> {
  private final long taskId;
  private volatile LongConsumer onCancel = id -> { };

  TaskFuture(long taskId) {
    this.taskId = taskId;
  }

  public long taskId() {
    return taskId;
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
