package io.ferry.executor.internal;

import io.ferry.mesos.http.EventListener;
import io.ferry.mesos.http.MesosClient;
import io.ferry.mesos.http.MesosClientException;
import io.ferry.mesos.http.MesosException;
import io.ferry.mesos.http.MesosResponse;
import io.ferry.mesos.http.MesosStreamException;
import io.ferry.mesos.http.Subscription;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * The executor's connection to its agent, on {@link MesosClient}: one SUBSCRIBE stream at a time
 * (each attempt numbered, so a stale stream's events and its end are ignored), and every other
 * call on the client's second connection, one at a time and in order.
 *
 * <p>Every method must be called on the core thread, and every {@link Listener} method is called
 * there: results and events from the client's threads are handed over with {@code execute}.
 */
public final class AgentLink {

  /** What the link reports; all on the core thread. */
  public interface Listener {
    /** The SUBSCRIBE body for the next attempt (built fresh: it carries the unacknowledged lists). */
    Call subscribeCall();

    /** SUBSCRIBED arrived on the stream opened by {@code sentWith}. */
    void onSubscribed(Event.Subscribed subscribed, Call sentWith);

    /** Any other event of the current stream, in order. */
    void onEvent(Event event);

    /** The current stream ended without our closing it. */
    void onLost(String why);

    /** A SUBSCRIBE attempt failed in a way worth retrying (refused, 503, 404, timeout). */
    void onAttemptFailed(String why);

    /** A SUBSCRIBE was refused for good (400, 401, 403, ...). */
    void onRejected(MesosException refusal);
  }

  private final MesosClient<Call, Event> client;
  private final ScheduledExecutorService core;
  private final Listener listener;
  private final Duration backoffMax;
  private int attempt;
  private Subscription current;
  private ScheduledFuture<?> pending;
  private boolean closed;

  public AgentLink(MesosClient<Call, Event> client, ScheduledExecutorService core, Duration backoffMax,
      Listener listener) {
    this.client = client;
    this.core = core;
    this.backoffMax = backoffMax;
    this.listener = listener;
  }

  /** Subscribes now. */
  public void subscribe() {
    cancelPending();
    int id = ++attempt;
    Call call = listener.subscribeCall();
    CompletableFuture<Subscription> opened;
    try {
      opened = client.subscribe(call, new StreamListener(id, call));
    } catch (IllegalStateException e) {
      return; // the client was closed: the executor is exiting
    }
    opened.whenComplete((subscription, error) -> core.execute(() -> {
      if (id != attempt || closed) {
        if (subscription != null) {
          subscription.close();
        }
        return;
      }
      if (error == null) {
        current = subscription;
        return;
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (cause instanceof MesosException refusal && !retryable(refusal)) {
        listener.onRejected(refusal);
      } else {
        listener.onAttemptFailed(cause.getMessage() == null ? cause.toString() : cause.getMessage());
      }
    }));
  }

  /** Subscribes after a random backoff in {@code [0, MESOS_SUBSCRIPTION_BACKOFF_MAX]}, as Mesos's library does. */
  public Duration subscribeLater() {
    cancelPending();
    Duration delay = Duration.ofNanos(ThreadLocalRandom.current().nextLong(backoffMax.toNanos() + 1));
    pending = core.schedule(this::subscribe, delay.toNanos(), TimeUnit.NANOSECONDS);
    return delay;
  }

  /** Sends a non-SUBSCRIBE call after every call sent before it; completes on the client's callback thread. */
  public CompletableFuture<MesosResponse> call(Call call) {
    try {
      return client.call(call);
    } catch (IllegalStateException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Stops: no more attempts, the stream closed, its later events ignored. */
  public void close() {
    closed = true;
    cancelPending();
    if (current != null) {
      current.close();
      current = null;
    }
  }

  private void cancelPending() {
    if (pending != null) {
      pending.cancel(false);
      pending = null;
    }
  }

  /** 503 (after the client's own retries), 404, 5xx and connection failures: the agent may be restarting. */
  static boolean retryable(MesosException e) {
    if (e instanceof MesosClientException) {
      return e.status() == 404;
    }
    return e.status() == 0 || e.status() >= 500;
  }

  private final class StreamListener implements EventListener<Event> {
    private final int id;
    private final Call sentWith;

    StreamListener(int id, Call sentWith) {
      this.id = id;
      this.sentWith = sentWith;
    }

    @Override
    public void onEvent(Event event) {
      core.execute(() -> {
        if (id != attempt || closed) {
          return;
        }
        if (event.getType() == Event.Type.SUBSCRIBED) {
          listener.onSubscribed(event.getSubscribed(), sentWith);
        } else {
          listener.onEvent(event);
        }
      });
    }

    @Override
    public void onClosed(Throwable cause) {
      if (cause == null) {
        return; // we closed it
      }
      core.execute(() -> {
        if (id != attempt || closed) {
          return;
        }
        current = null;
        String why = cause instanceof MesosStreamException stream ? stream.reason() + ": " + cause.getMessage()
            : String.valueOf(cause.getMessage());
        listener.onLost(why);
      });
    }
  }
}
