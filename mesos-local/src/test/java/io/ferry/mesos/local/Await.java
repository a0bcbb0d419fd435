package io.ferry.mesos.local;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/** Waits for a condition with a deadline, polling every few milliseconds; fails naming what it waited for. */
public final class Await {

  private Await() {}

  public static void until(Duration timeout, String what, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
      }
      LockSupport.parkNanos(5_000_000L);
    }
  }

  /** Checks, for the whole of {@code period}, that {@code invariant} holds (it asserts). */
  public static void during(Duration period, Runnable invariant) {
    long end = System.nanoTime() + period.toNanos();
    do {
      invariant.run();
      LockSupport.parkNanos(20_000_000L);
    } while (System.nanoTime() - end < 0);
    invariant.run();
  }
}
