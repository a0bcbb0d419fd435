package io.ferry.executor;

/** What a {@link TaskHandler} may ask of the executor that runs it. Thread-safe. */
public interface ExecutorContext {

  ExecutorSettings settings();

  /**
   * Fails every task that has not ended with {@code message} (one line, shown in Mesos's UI),
   * kills them, and exits once the agent has acknowledged those updates (or the failsafe fires).
   * For losses the executor cannot outlive, e.g. its driver going away: no orphan executors.
   */
  void abort(String message);
}
