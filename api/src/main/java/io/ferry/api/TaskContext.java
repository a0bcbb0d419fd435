package io.ferry.api;

/**
 * What a running {@link Task} can learn about itself. Implemented by the executor (and by the
 * driver's in-process {@code local[N]} mode).
 */
public interface TaskContext {
  /** The driver's id of this task (stable across attempts). */
  long taskId();

  /** 0 for the first attempt, then 1, 2, ... up to {@code ferry.task.maxFailures - 1}. */
  int attempt();

  /** The Mesos executor id running this attempt ({@code local} in {@code local[N]} mode). */
  String executorId();

  /** The Mesos agent's hostname, or {@code localhost}. */
  String hostname();

  /** True once the driver cancelled this attempt or the executor is shutting down. */
  boolean isCancelled();
}
