package io.ferry.it.jobs;

import io.ferry.api.Task;
import io.ferry.api.TaskContext;

/** A task that always throws {@link IllegalStateException} with {@code message}: how a failure looks to a user. */
public record FailingTask(String message) implements Task<Long> {
  @Override
  public Long run(TaskContext context) {
    throw new IllegalStateException(message);
  }
}
