package io.ferry.executor.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * Names threads {@code <prefix>-<n>}, numbered per prefix across the JVM. Task threads are
 * daemons: a task that ignores interruption must not keep the executor alive once it decides to
 * exit. An exception escaping a thread is logged, never swallowed.
 */
public final class TaskThreadFactory implements ThreadFactory {
  private static final Map<String, AtomicInteger> COUNTERS = new ConcurrentHashMap<>();

  private final String prefix;
  private final boolean daemon;
  private final AtomicInteger counter;

  public TaskThreadFactory(String prefix, boolean daemon) {
    this.prefix = prefix;
    this.daemon = daemon;
    this.counter = COUNTERS.computeIfAbsent(prefix, p -> new AtomicInteger());
  }

  @Override
  public Thread newThread(Runnable body) {
    Thread thread = new Thread(body, prefix + "-" + counter.incrementAndGet());
    thread.setDaemon(daemon);
    thread.setUncaughtExceptionHandler((t, e) -> LoggerFactory.getLogger(TaskThreadFactory.class)
        .error("uncaught exception on {}", t.getName(), e));
    return thread;
  }
}
