package io.ferry.mesos.http.internal;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names threads {@code <prefix>-<n>}, numbered per prefix across the whole JVM so two clients'
 * threads never share a name in a thread dump. Daemon threads: a client that was never closed
 * must not keep the JVM alive.
 */
public final class NamedThreadFactory implements ThreadFactory {
  private static final Map<String, AtomicInteger> COUNTERS = new ConcurrentHashMap<>();

  private final String prefix;
  private final boolean nettyThreads;
  private final AtomicInteger counter;

  /**
   * @param nettyThreads make {@link FastThreadLocalThread}s, which Netty's event loops run faster on
   */
  public NamedThreadFactory(String prefix, boolean nettyThreads) {
    this.prefix = prefix;
    this.nettyThreads = nettyThreads;
    this.counter = COUNTERS.computeIfAbsent(prefix, p -> new AtomicInteger());
  }

  @Override
  public Thread newThread(Runnable task) {
    String name = prefix + "-" + counter.incrementAndGet();
    Thread thread = nettyThreads ? new FastThreadLocalThread(task, name) : new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }
}
