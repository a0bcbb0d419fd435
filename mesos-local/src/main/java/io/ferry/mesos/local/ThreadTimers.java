package io.ferry.mesos.local;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One component's thread (the master's, or an agent's) with its timers: every task handed to
 * {@link #execute} and every timer runs on that single named thread, in order, so the component's
 * state needs no locks.
 */
public final class ThreadTimers implements Timers, Executor, AutoCloseable {

  private final ScheduledThreadPoolExecutor thread;

  public ThreadTimers(String name) {
    AtomicInteger started = new AtomicInteger();
    this.thread = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, started.getAndIncrement() == 0 ? name : name + "-" + started.get());
      t.setDaemon(true);
      return t;
    });
    thread.setRemoveOnCancelPolicy(true);
    thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public void execute(Runnable task) {
    thread.execute(guarded(task));
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    var f = thread.schedule(guarded(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public Cancellable every(Duration period, Runnable task) {
    var f = thread.scheduleAtFixedRate(guarded(task), period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public double wallSeconds() {
    return System.currentTimeMillis() / 1000.0;
  }

  /** The underlying scheduler, for code that needs a ScheduledExecutorService. */
  public ScheduledExecutorService scheduler() {
    return thread;
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }

  /** A task that throws must not kill the thread or cancel a periodic timer silently. */
  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        org.slf4j.LoggerFactory.getLogger(ThreadTimers.class)
            .error("task on {} failed", Thread.currentThread().getName(), e);
      }
    };
  }
}
