package io.ferry.driver.mesos.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads named {@code <prefix>-N}, N counting up across the JVM per prefix. */
public final class NamedThreads {

  private static final java.util.Map<String, AtomicInteger> COUNTERS = new java.util.concurrent.ConcurrentHashMap<>();

  private NamedThreads() {}

  public static ThreadFactory factory(String prefix) {
    AtomicInteger counter = COUNTERS.computeIfAbsent(prefix, p -> new AtomicInteger());
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** One thread with exactly this name (for threads the docs name, such as ferry-scheduler-events). */
  public static ThreadFactory single(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
