package io.ferry.executor.internal;

import com.google.protobuf.ByteString;
import io.ferry.mesos.http.MesosClientException;
import io.ferry.mesos.http.MesosException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.mesos.v1.executor.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends status updates as UPDATE calls, one at a time and in the order they were made (a RUNNING
 * overtaken by its FINISHED would be dropped by the agent), only while subscribed.
 *
 * <p>An update leaves this queue once the agent answered 202, or once a SUBSCRIBE carried it
 * (the agent replays those itself). It stays in the {@link StatusUpdateLedger} until
 * ACKNOWLEDGED, so every resubscribe carries it again; an acknowledged update is skipped, never
 * resent. A call that fails while the stream is up is retried after a short backoff; a 400 means
 * the update itself is invalid and retrying cannot help.
 *
 * <p>Confined to the core thread.
 */
public final class UpdateSender {
  private static final Logger log = LoggerFactory.getLogger(UpdateSender.class);
  static final Duration FIRST_RETRY = Duration.ofMillis(250);
  static final Duration MAX_RETRY = Duration.ofSeconds(5);

  private final ScheduledExecutorService core;
  private final StatusUpdateLedger ledger;
  private final Function<Call.Update, java.util.concurrent.CompletableFuture<?>> send;
  private final String tag;
  private final ArrayDeque<Call.Update> queue = new ArrayDeque<>();
  private boolean enabled;
  private boolean inFlight;
  private int failures;
  private int epoch;

  /** @param send posts one UPDATE; its future may complete on any thread */
  public UpdateSender(ScheduledExecutorService core, StatusUpdateLedger ledger,
      Function<Call.Update, java.util.concurrent.CompletableFuture<?>> send, String tag) {
    this.core = core;
    this.ledger = ledger;
    this.send = send;
    this.tag = tag;
  }

  public void enqueue(Call.Update update) {
    queue.add(update);
    pump();
  }

  /** The stream is down: hold the queue until the next SUBSCRIBE (which carries everything unacknowledged). */
  public void pause() {
    enabled = false;
    epoch++;
  }

  /** Subscribed again with {@code carried} in the SUBSCRIBE: those need no UPDATE call. */
  public void resume(Collection<ByteString> carried) {
    queue.removeIf(u -> carried.contains(u.getStatus().getUuid()));
    enabled = true;
    epoch++;
    inFlight = false;
    failures = 0;
    pump();
  }

  public int queued() {
    return queue.size();
  }

  private void pump() {
    while (!queue.isEmpty() && !ledger.isUnacknowledged(queue.peek().getStatus().getUuid())) {
      queue.poll(); // acknowledged meanwhile (e.g. replayed by a SUBSCRIBE): never send it again
    }
    if (!enabled || inFlight || queue.isEmpty()) {
      return;
    }
    Call.Update head = queue.peek();
    inFlight = true;
    int sentIn = epoch;
    send.apply(head).whenComplete((ok, error) -> core.execute(() -> answered(head, sentIn, error)));
  }

  private void answered(Call.Update head, int sentIn, Throwable error) {
    if (sentIn != epoch) {
      return; // paused or resubscribed meanwhile: the SUBSCRIBE took over
    }
    inFlight = false;
    String what = head.getStatus().getState() + " of task " + head.getStatus().getTaskId().getValue();
    if (error == null) {
      failures = 0;
      queue.remove(head);
      pump();
      return;
    }
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof MesosClientException refused && refused.status() != 404) {
      log.error("{} the agent refused the update {}: {}; it is not sent again", tag, what, refused.getMessage());
      queue.remove(head);
      if (refused.status() == 400) {
        ledger.discard(head.getStatus().getUuid());
      }
      pump();
      return;
    }
    failures++;
    long nanos = Math.min(MAX_RETRY.toNanos(), FIRST_RETRY.toNanos() << Math.min(failures - 1, 10));
    log.warn("{} UPDATE {} failed ({}); retrying in {} ms", tag, what,
        cause instanceof MesosException ? cause.getMessage() : cause.toString(), nanos / 1_000_000);
    inFlight = true;
    core.schedule(() -> {
      if (sentIn == epoch) {
        inFlight = false;
        pump();
      }
    }, nanos, TimeUnit.NANOSECONDS);
  }
}
