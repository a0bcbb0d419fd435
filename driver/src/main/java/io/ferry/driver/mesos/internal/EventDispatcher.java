package io.ferry.driver.mesos.internal;

import io.ferry.driver.mesos.SchedulerListener;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a subscribed stream's events into {@link SchedulerListener} callbacks and acknowledges
 * status updates that carry a uuid after {@code update} returned normally. Runs on the link's
 * events thread only.
 */
public final class EventDispatcher {

  private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);

  private final SchedulerListener listener;
  private final Function<Call, CompletableFuture<Void>> sender;
  private final AtomicLong acknowledgements = new AtomicLong();
  private volatile FrameworkID frameworkId;
  /** Set once TEARDOWN is under way: an ACKNOWLEDGE failing from then on is expected, not news. */
  private volatile boolean ending;

  public EventDispatcher(SchedulerListener listener, Function<Call, CompletableFuture<Void>> sender) {
    this.listener = listener;
    this.sender = sender;
  }

  public void setFrameworkId(FrameworkID id) {
    this.frameworkId = id;
  }

  /** The framework is being torn down: acknowledgements that fail from now on are logged at DEBUG. */
  public void ending() {
    ending = true;
  }

  /** ACKNOWLEDGE calls sent so far. */
  public long acknowledgements() {
    return acknowledgements.get();
  }

  public void dispatch(Event event) {
    switch (event.getType()) {
      case OFFERS -> safely("offers", () -> listener.offers(event.getOffers().getOffersList()));
      case RESCIND -> safely("rescinded", () -> listener.rescinded(event.getRescind().getOfferId()));
      case UPDATE -> update(event.getUpdate().getStatus());
      case MESSAGE -> safely("message", () -> listener.message(event.getMessage().getAgentId(),
          event.getMessage().getExecutorId(), event.getMessage().getData().toByteArray()));
      case FAILURE -> {
        Event.Failure f = event.getFailure();
        safely("failure", () -> listener.failure(f.hasAgentId() ? Optional.of(f.getAgentId()) : Optional.empty(),
            f.hasExecutorId() ? Optional.of(f.getExecutorId()) : Optional.empty(),
            f.hasStatus() ? OptionalInt.of(f.getStatus()) : OptionalInt.empty()));
      }
      default -> log.debug("[framework={}] ignoring a {} event", id(), event.getType());
    }
  }

  private void update(TaskStatus status) {
    boolean handled = safely("update", () -> listener.update(status));
    if (!status.hasUuid() || status.getUuid().isEmpty()) {
      return; // a reconciliation answer or master-made update: Mesos wants no ACK
    }
    if (!handled) {
      log.warn("[framework={} task={}] not acknowledging {} since the listener failed; the agent will resend it",
          id(), status.getTaskId().getValue(), status.getState());
      return;
    }
    if (!status.hasAgentId()) {
      log.warn("[framework={} task={}] update {} carries a uuid but no agent ID; cannot acknowledge it", id(),
          status.getTaskId().getValue(), status.getState());
      return;
    }
    acknowledgements.incrementAndGet();
    sender.apply(SchedulerCalls.acknowledge(frameworkId, status)).whenComplete((ok, e) -> {
      if (e != null && ending) {
        log.debug("[framework={} task={}] ACKNOWLEDGE of {} not completed: the framework was torn down ({})", id(),
            status.getTaskId().getValue(), status.getState(), e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
      } else if (e != null) {
        log.warn("[framework={} task={}] ACKNOWLEDGE of {} failed ({}); the agent will resend the update", id(),
            status.getTaskId().getValue(), status.getState(), e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
      }
    });
  }

  /** Runs a listener callback; an exception is logged and reported as false. */
  public boolean safely(String callback, Runnable call) {
    try {
      call.run();
      return true;
    } catch (RuntimeException e) {
      log.error("[framework={}] SchedulerListener.{} threw", id(), callback, e);
      return false;
    }
  }

  private String id() {
    FrameworkID id = frameworkId;
    return id == null ? "(none)" : id.getValue();
  }
}
