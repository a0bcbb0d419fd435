package io.ferry.bench;

import io.ferry.api.Task;
import io.ferry.api.TaskContext;

/**
 * The elastic benchmark's task: holds its slot for a fixed time, as a task of real work holds a
 * core, and returns its index so the benchmark can check every result came back once.
 */
public final class SleepTask implements Task<Integer> {
  private static final long serialVersionUID = 1L;

  private final int index;
  private final long millis;

  public SleepTask(int index, long millis) {
    this.index = index;
    this.millis = millis;
  }

  @Override
  public Integer run(TaskContext context) throws InterruptedException {
    Thread.sleep(millis);
    return index;
  }
}
