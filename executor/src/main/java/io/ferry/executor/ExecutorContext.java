package io.ferry.executor;

/** What a {@link TaskHandler} may ask of the executor that runs it. Thread-safe. */
public interface ExecutorContext {

  ExecutorSettings settings();

  /**
   * Runs {@code work} on the executor's core thread, after what is queued there (so a handler can
   * keep its state on that one thread, as the executor does). It must not block.
   */
  void execute(Runnable work);

  /**
   * Fails every task that has not ended with {@code message} (one line, shown in Mesos's UI),
   * kills them, and exits once the agent has acknowledged those updates (or the failsafe fires).
   * For losses the executor cannot outlive, e.g. its driver going away: no orphan executors.
   */
  void abort(String message);

  /**
   * The work is over and nothing went wrong (e.g. the driver said goodbye, the normal end of an
   * application): as on the agent's SHUTDOWN, tasks still running are killed, and the executor
   * exits with status 0 once the agent has acknowledged its updates (or the failsafe fires).
   */
  void finish(String reason);
}
