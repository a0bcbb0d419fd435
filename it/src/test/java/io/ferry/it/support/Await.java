package io.ferry.it.support;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/** Waits for a condition with a deadline (polling every 25 ms); fails naming what it waited for. */
public final class Await {
  private Await() {}

  public static void until(Duration timeout, String what, Callable<Boolean> condition) throws Exception {
    value(timeout, what, () -> condition.call() ? Optional.of(Boolean.TRUE) : Optional.empty());
  }

  /** The first present value {@code probe} gives. */
  public static <T> T value(Duration timeout, String what, Callable<Optional<T>> probe) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<T> v = probe.call();
      if (v.isPresent()) {
        return v.get();
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
      }
      LockSupport.parkNanos(25_000_000L);
    }
  }
}
