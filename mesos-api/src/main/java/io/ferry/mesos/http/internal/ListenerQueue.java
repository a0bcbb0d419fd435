package io.ferry.mesos.http.internal;

import io.ferry.mesos.http.EventListener;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one subscription's listener on its own thread ({@code ferry-mesos-events-N}), one callback
 * at a time, in stream order. Counts the events not yet handled so the stream can stop reading
 * while a slow listener catches up, instead of queueing without bound.
 */
final class ListenerQueue<E> {
  /** Stop reading the socket at this many undelivered events... */
  static final int HIGH_WATER = 256;
  /** ...and read again once the listener is down to this many. */
  static final int LOW_WATER = 64;

  private static final Logger log = LoggerFactory.getLogger(ListenerQueue.class);
  private static final NamedThreadFactory THREADS = new NamedThreadFactory("ferry-mesos-events", false);

  private final EventListener<? super E> listener;
  // The thread starts with the first event, so a SUBSCRIBE that fails never creates one.
  private final ExecutorService thread = Executors.newSingleThreadExecutor(THREADS);
  private final AtomicInteger backlog = new AtomicInteger();
  private volatile Runnable onDrained = () -> { };

  ListenerQueue(EventListener<? super E> listener) {
    this.listener = listener;
  }

  /** @return the backlog including this event */
  int onEvent(E event) {
    int pending = backlog.incrementAndGet();
    thread.execute(() -> {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        log.warn("event listener {} failed on an event; the stream goes on", listener, e);
      } finally {
        if (backlog.decrementAndGet() == LOW_WATER) {
          onDrained.run();
        }
      }
    });
    return pending;
  }

  int backlog() {
    return backlog.get();
  }

  /** Called, on the listener thread, each time the backlog falls to {@link #LOW_WATER}. */
  void onDrained(Runnable action) {
    this.onDrained = action;
  }

  /** Queues {@code onClosed} after every event, then lets the thread end. */
  void close(Throwable cause) {
    thread.execute(() -> {
      try {
        listener.onClosed(cause);
      } catch (RuntimeException e) {
        log.warn("event listener {} failed in onClosed", listener, e);
      }
    });
    thread.shutdown();
  }

  /** The subscription never opened: the listener hears nothing. */
  void discard() {
    thread.shutdown();
  }
}
