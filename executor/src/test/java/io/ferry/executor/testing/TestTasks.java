package io.ferry.executor.testing;

import io.ferry.api.Task;
import io.ferry.api.TaskContext;

/** Ferry tasks for the executor's tests (on the executor's class path, unlike an application's). */
public final class TestTasks {
  private TestTasks() {}

  /** Returns its value and where it ran. */
  public record Echo(String value) implements Task<String> {
    @Override
    public String run(TaskContext context) {
      return value + "@" + context.executorId() + "#" + context.taskId() + "/" + context.attempt();
    }
  }

  /** Throws. */
  public record Fail(String message) implements Task<Void> {
    @Override
    public Void run(TaskContext context) {
      throw new IllegalStateException(message);
    }
  }

  /** Runs until interrupted. */
  public record Sleep() implements Task<Void> {
    @Override
    public Void run(TaskContext context) throws InterruptedException {
      Thread.sleep(Long.MAX_VALUE);
      return null;
    }
  }
}
