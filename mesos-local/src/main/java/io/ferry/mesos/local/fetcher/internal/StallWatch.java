package io.ferry.mesos.local.fetcher.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Aborts a transfer that stays below 1 byte/s for the stall timeout, as libcurl's
 * {@code LOW_SPEED_LIMIT=1}/{@code LOW_SPEED_TIME} does for Mesos's {@code --fetcher_stall_timeout}:
 * fewer than one byte per second of the timeout arrived over the last timeout-long window.
 *
 * <p>A blocked read cannot time out on its own, so a timer thread samples the byte count and, on a
 * stall, runs the abort action (which closes the stream the reader is blocked on). The reader then
 * asks {@link #stalled()} to tell a stall from a real end or failure.
 */
final class StallWatch implements AutoCloseable {

  private static final long MIN_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final long MAX_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

  private record Sample(long nanos, long bytes) {}

  private final long windowNanos;
  private final long minBytes;
  private final Runnable abort;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicBoolean stalled = new AtomicBoolean();
  /** Touched only by the timer thread. */
  private final Deque<Sample> samples = new ArrayDeque<>();
  /** Null only while the constructor runs; the first check comes at least 10 ms later. */
  private volatile ScheduledFuture<?> task;

  StallWatch(ScheduledExecutorService timer, Duration timeout, Runnable abort) {
    this.windowNanos = timeout.toNanos();
    this.minBytes = Math.max(1, timeout.toSeconds());
    this.abort = abort;
    samples.add(new Sample(System.nanoTime(), 0));
    long check = Math.min(MAX_CHECK_NANOS, Math.max(MIN_CHECK_NANOS, windowNanos / 10));
    this.task = timer.scheduleAtFixedRate(this::check, check, check, TimeUnit.NANOSECONDS);
  }

  void progressed(long n) {
    bytes.addAndGet(n);
  }

  long bytes() {
    return bytes.get();
  }

  boolean stalled() {
    return stalled.get();
  }

  private void check() {
    long now = System.nanoTime();
    long total = bytes.get();
    samples.addLast(new Sample(now, total));
    // Keep the newest sample at or before the window's start: it is the baseline.
    while (samples.size() > 1 && now - secondOldest().nanos() >= windowNanos) {
      samples.removeFirst();
    }
    Sample baseline = samples.peekFirst();
    if (now - baseline.nanos() >= windowNanos && total - baseline.bytes() < minBytes) {
      if (stalled.compareAndSet(false, true)) {
        ScheduledFuture<?> self = task;
        if (self != null) {
          self.cancel(false);
        }
        abort.run();
      }
    }
  }

  private Sample secondOldest() {
    var it = samples.iterator();
    it.next();
    return it.next();
  }

  @Override
  public void close() {
    if (task != null) {
      task.cancel(false);
    }
  }
}
