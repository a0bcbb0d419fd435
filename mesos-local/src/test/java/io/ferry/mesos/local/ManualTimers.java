package io.ferry.mesos.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Timers driven by the test: {@link #advance} runs what falls due, in order, on the caller's thread. */
public final class ManualTimers implements Timers {

  private final class Entry implements Cancellable {
    long due;
    final long period;
    final Runnable task;
    boolean cancelled;

    Entry(long due, long period, Runnable task) {
      this.due = due;
      this.period = period;
      this.task = task;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  private final List<Entry> entries = new ArrayList<>();
  private long now;

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    Entry e = new Entry(now + delay.toNanos(), 0, task);
    entries.add(e);
    return e;
  }

  @Override
  public Cancellable every(Duration period, Runnable task) {
    Entry e = new Entry(now + period.toNanos(), period.toNanos(), task);
    entries.add(e);
    return e;
  }

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public double wallSeconds() {
    return 1_700_000_000 + now / 1e9;
  }

  /** Moves time forward, running every task that falls due (zero-delay tasks run too). */
  public void advance(Duration by) {
    long until = now + by.toNanos();
    while (true) {
      entries.removeIf(e -> e.cancelled);
      Entry next = entries.stream().filter(e -> e.due <= until).min(Comparator.comparingLong(e -> e.due)).orElse(null);
      if (next == null) {
        break;
      }
      now = Math.max(now, next.due);
      if (next.period > 0) {
        next.due += next.period;
      } else {
        entries.remove(next);
      }
      next.task.run();
    }
    now = until;
  }
}
