package io.ferry.driver.scheduling;

import java.util.HashSet;
import java.util.Set;

/** A submitted task's bookkeeping. Guarded by the {@link TaskScheduler}'s lock. */
final class TaskRecord {
  /** PENDING -> RUNNING -> (PENDING again after a failure) ... -> DONE. DONE is final. */
  enum State { PENDING, RUNNING, DONE }

  private final long id;
  private final String name;
  private final byte[] payload;
  private final long classGeneration;
  private final TaskFuture<Object> future;
  private final Set<String> failedAgents = new HashSet<>();
  State state = State.PENDING;
  Attempt live;
  int attempts;
  int failures;
  /** Attempts cut off by a lost executor or agent: not failures (see TaskScheduler.lost). */
  int executorLosses;
  String lastFailure = "";
  String lastStackTrace = "";

  TaskRecord(long id, String name, byte[] payload, long classGeneration, TaskFuture<Object> future) {
    this.id = id;
    this.name = name;
    this.payload = payload;
    this.classGeneration = classGeneration;
    this.future = future;
  }

  long id() {
    return id;
  }

  String name() {
    return name;
  }

  byte[] payload() {
    return payload;
  }

  /** The run-time class generation the task was submitted with; 0 for none. */
  long classGeneration() {
    return classGeneration;
  }

  TaskFuture<Object> future() {
    return future;
  }

  Set<String> failedAgents() {
    return failedAgents;
  }
}
