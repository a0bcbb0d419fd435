package io.ferry.executor.internal.driver;

import io.ferry.api.TaskContext;

/** What a running Ferry task learns about itself on an executor. */
final class ExecutorTaskContext implements TaskContext {
  private final long taskId;
  private final int attempt;
  private final String executorId;
  private final String hostname;
  private volatile boolean cancelled;

  ExecutorTaskContext(long taskId, int attempt, String executorId, String hostname) {
    this.taskId = taskId;
    this.attempt = attempt;
    this.executorId = executorId;
    this.hostname = hostname;
  }

  @Override
  public long taskId() {
    return taskId;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public String executorId() {
    return executorId;
  }

  @Override
  public String hostname() {
    return hostname;
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  void cancel() {
    cancelled = true;
  }
}
