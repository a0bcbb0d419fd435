package io.ferry.driver.scheduling;

/**
 * One run of a task on one executor. A task has at most one live attempt at a time; the
 * scheduler accepts an outcome only from the live attempt, so each result counts exactly once.
 */
public final class Attempt {
  private final TaskRecord task;
  private final int number;
  private final String agentId;
  private final String executorId;
  private final String mesosTaskId;
  private final long startNanos = System.nanoTime();

  Attempt(TaskRecord task, int number, String agentId, String executorId, String mesosTaskId) {
    this.task = task;
    this.number = number;
    this.agentId = agentId;
    this.executorId = executorId;
    this.mesosTaskId = mesosTaskId;
  }

  public long taskId() {
    return task.id();
  }

  public int number() {
    return number;
  }

  public String name() {
    return task.name();
  }

  public byte[] payload() {
    return task.payload();
  }

  /** The run-time class generation the task reads and runs with ({@code RunTask.class_generation}); 0 for none. */
  public long classGeneration() {
    return task.classGeneration();
  }

  public String agentId() {
    return agentId;
  }

  public String executorId() {
    return executorId;
  }

  /** Fine mode: the Mesos task running this attempt; coarse mode: the slot task. */
  public String mesosTaskId() {
    return mesosTaskId;
  }

  public long startNanos() {
    return startNanos;
  }

  TaskRecord task() {
    return task;
  }

  @Override
  public String toString() {
    return "task " + task.id() + " attempt " + number + " on executor " + executorId;
  }
}
