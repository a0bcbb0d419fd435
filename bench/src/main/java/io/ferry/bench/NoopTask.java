package io.ferry.bench;

import io.ferry.api.Task;
import io.ferry.api.TaskContext;

/**
 * The benchmarks' task: does nothing and returns {@link System#nanoTime()} on the executor. On
 * Linux that clock is CLOCK_MONOTONIC, shared by every process on the machine, so the driver can
 * place the moment the task ran between its own submit and completion times.
 */
public final class NoopTask implements Task<Long> {
  private static final long serialVersionUID = 1L;

  @Override
  public Long run(TaskContext context) {
    return System.nanoTime();
  }
}
