package io.ferry.mesos.local;

import java.time.Duration;

/**
 * Timers of one component's thread (the master's, an agent's): each task runs on that thread. Injected so tests can drive time
 * by hand ({@code ManualTimers} in the tests) instead of sleeping.
 */
public interface Timers {

  /** A scheduled task that can be cancelled; cancelling a task that ran is harmless. */
  public interface Cancellable {
    void cancel();
  }

  Cancellable schedule(Duration delay, Runnable task);

  /** Runs {@code task} every {@code period}, first after one period. */
  Cancellable every(Duration period, Runnable task);

  /** Monotonic time in nanoseconds, for filters. */
  long nanoTime();

  /** Wall-clock time in seconds since the epoch, for status timestamps. */
  double wallSeconds();
}
