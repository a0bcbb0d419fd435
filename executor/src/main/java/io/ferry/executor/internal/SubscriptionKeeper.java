package io.ferry.executor.internal;

import io.ferry.executor.ExecutorSettings;
import io.ferry.mesos.MesosDurations;
import io.ferry.mesos.http.MesosException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the executor subscribed, as Mesos's executor library does: the first SUBSCRIBE is
 * retried until the agent answers; a lost stream ends the executor without checkpointing, and
 * with it starts one recovery timer ({@code MESOS_RECOVERY_TIMEOUT}) and resubscribes after random
 * backoffs, retrying refused connections, 503 and 404; a SUBSCRIBE refused outright (400, 401,
 * 403) ends the executor with the reason. Moves the lifecycle between SUBSCRIBING, SUBSCRIBED and
 * RECONNECTING; pauses and resumes the {@link UpdateSender}.
 *
 * <p>Confined to the core thread.
 */
final class SubscriptionKeeper implements AgentLink.Listener {
  private static final Logger log = LoggerFactory.getLogger(SubscriptionKeeper.class);

  /** What the keeper needs from the executor. */
  interface Owner {
    Call subscribeCall();

    /** SUBSCRIBED arrived (every time); {@code first} on the first one. */
    void subscribed(Event.Subscribed subscribed, boolean first);

    void onEvent(Event event);

    /** The agent is gone for good, or refused us: exit with {@code why}. */
    void agentLost(String why);
  }

  private final ExecutorSettings settings;
  private final AtomicReference<ExecutorState> state;
  private final ScheduledExecutorService core;
  private final UpdateSender sender;
  private final Owner owner;
  private final String tag;
  private AgentLink link;
  private boolean everSubscribed;
  private ScheduledFuture<?> deadline;
  private String lastError = "none yet";
  private int failedAttempts;

  SubscriptionKeeper(ExecutorSettings settings, AtomicReference<ExecutorState> state, ScheduledExecutorService core,
      UpdateSender sender, Owner owner, String tag) {
    this.settings = settings;
    this.state = state;
    this.core = core;
    this.sender = sender;
    this.owner = owner;
    this.tag = tag;
  }

  void attach(AgentLink agentLink) {
    this.link = agentLink;
  }

  /** The first SUBSCRIBE, within the subscribe window. */
  void start() {
    armDeadline();
    link.subscribe();
  }

  /** No more attempts or deadlines (shutting down). */
  void stop() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  @Override
  public Call subscribeCall() {
    return owner.subscribeCall();
  }

  @Override
  public void onSubscribed(Event.Subscribed subscribed, Call sentWith) {
    ExecutorState was = state.get();
    if ((was != ExecutorState.SUBSCRIBING && was != ExecutorState.RECONNECTING)
        || !state.compareAndSet(was, ExecutorState.SUBSCRIBED)) {
      return;
    }
    stop();
    failedAttempts = 0;
    Call.Subscribe carried = sentWith.getSubscribe();
    log.info("{} subscribed to agent {} ({}){}", tag, subscribed.getAgentInfo().getId().getValue(),
        subscribed.getAgentInfo().getHostname(), carried.getUnacknowledgedUpdatesCount() == 0 ? ""
            : ", replaying " + carried.getUnacknowledgedUpdatesCount() + " unacknowledged updates and "
                + carried.getUnacknowledgedTasksCount() + " tasks");
    sender.resume(StatusUpdateLedger.uuids(carried));
    boolean first = !everSubscribed;
    everSubscribed = true;
    owner.subscribed(subscribed, first);
  }

  @Override
  public void onEvent(Event event) {
    owner.onEvent(event);
  }

  @Override
  public void onLost(String why) {
    ExecutorState was = state.get();
    if (was == ExecutorState.SHUTTING_DOWN || was == ExecutorState.TERMINATED) {
      log.info("{} the agent's stream ended while shutting down ({})", tag, why);
      return;
    }
    sender.pause();
    if (!settings.checkpoint()) {
      owner.agentLost("lost the agent at " + settings.agentEndpoint() + " (" + why + "); the framework does not"
          + " checkpoint (MESOS_CHECKPOINT=0), so the agent cannot recover this executor: exiting");
      return;
    }
    if (state.compareAndSet(ExecutorState.SUBSCRIBED, ExecutorState.RECONNECTING)) {
      log.warn("{} lost the agent at {} ({}); resubscribing for up to {} (MESOS_RECOVERY_TIMEOUT)", tag,
          settings.agentEndpoint(), why, MesosDurations.format(settings.recoveryTimeout()));
      armDeadline();
    }
    link.subscribeLater();
  }

  @Override
  public void onAttemptFailed(String why) {
    if (!subscribing()) {
      return;
    }
    lastError = why;
    if (failedAttempts++ == 0) {
      log.warn("{} SUBSCRIBE failed, retrying: {}", tag, why);
    } else {
      log.debug("{} SUBSCRIBE attempt {} failed: {}", tag, failedAttempts, why);
    }
    link.subscribeLater();
  }

  @Override
  public void onRejected(MesosException refusal) {
    if (!subscribing()) {
      return;
    }
    String hint = switch (refusal.status()) {
      case 401 -> " (the agent requires executor authentication: MESOS_EXECUTOR_AUTHENTICATION_TOKEN is missing"
          + " or invalid)";
      case 403 -> " (the token in MESOS_EXECUTOR_AUTHENTICATION_TOKEN belongs to another executor)";
      case 400 -> everSubscribed ? " (the restarted agent did not recover this executor: the framework may not"
          + " checkpoint, or the agent ran with --recover=cleanup)" : "";
      default -> "";
    };
    owner.agentLost("the agent refused SUBSCRIBE: " + refusal.getMessage() + hint);
  }

  private boolean subscribing() {
    ExecutorState now = state.get();
    return now == ExecutorState.SUBSCRIBING || now == ExecutorState.RECONNECTING;
  }

  private void armDeadline() {
    if (deadline != null) {
      return;
    }
    Duration window = settings.subscribeWindow();
    deadline = core.schedule(() -> {
      deadline = null;
      if (subscribing()) {
        owner.agentLost("could not " + (everSubscribed ? "resubscribe" : "subscribe") + " with the agent at "
            + settings.agentEndpoint() + " within " + MesosDurations.format(window) + "; last error: " + lastError);
      }
    }, window.toNanos(), TimeUnit.NANOSECONDS);
  }
}
