package io.ferry.mesos.http;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Keeps what a subscription delivered, and on which threads, for tests to await. */
class RecordingListener<E> implements EventListener<E> {
  private final BlockingQueue<E> events = new LinkedBlockingQueue<>();
  private final CompletableFuture<Optional<Throwable>> closed = new CompletableFuture<>();
  final Set<String> threads = ConcurrentHashMap.newKeySet();

  @Override
  public void onEvent(E event) {
    threads.add(Thread.currentThread().getName());
    events.add(event);
  }

  @Override
  public void onClosed(Throwable cause) {
    threads.add(Thread.currentThread().getName());
    if (!closed.complete(Optional.ofNullable(cause))) {
      closed.obtrudeException(new AssertionError("onClosed called twice"));
    }
  }

  E next() throws InterruptedException {
    E event = events.poll(ScriptedMesosServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (event == null) {
      fail("no event within " + ScriptedMesosServer.WAIT);
    }
    return event;
  }

  /** The cause given to onClosed (null when closed on our side), waiting up to {@code wait}. */
  Throwable awaitClosed(Duration wait) throws Exception {
    return closed.get(wait.toMillis(), TimeUnit.MILLISECONDS).orElse(null);
  }

  Throwable awaitClosed() throws Exception {
    return awaitClosed(ScriptedMesosServer.WAIT);
  }

  boolean isClosed() {
    return closed.isDone();
  }

  int pendingEvents() {
    return events.size();
  }
}
