package io.ferry.driver.mesos.internal;

import io.ferry.driver.MasterUrl;
import io.ferry.driver.mesos.SchedulerLink.State;
import io.ferry.driver.mesos.SchedulerLinkConfig;
import io.ferry.driver.mesos.SchedulerLinkException;
import io.ferry.driver.mesos.SchedulerListener;
import io.ferry.driver.mesos.ZkMasterDetector;
import io.ferry.mesos.http.EventListener;
import io.ferry.mesos.http.MesosApi;
import io.ferry.mesos.http.MesosClient;
import io.ferry.mesos.http.Subscription;
import io.ferry.rpc.PeerText;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machinery behind {@link io.ferry.driver.mesos.SchedulerLink}: finding the master, the
 * SUBSCRIBE loop with backoff, the heartbeat watchdog, leader changes, and the lifecycle. All of
 * its state but the atomics and volatiles below is owned by the one events thread
 * ({@code ferry-scheduler-events}), which also runs every listener callback. Each subscription
 * attempt has a generation number; events and answers from an abandoned one are dropped.
 */
public final class SubscriptionLoop {

  private static final Logger log = LoggerFactory.getLogger(SubscriptionLoop.class);
  private static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
  /** A first subscription slower than this is worth one line saying what the driver waits for. */
  private static final Duration WAITING_NOTICE = Duration.ofSeconds(2);
  static final String EVENTS_THREAD = "ferry-scheduler-events";

  private final SchedulerLinkConfig config;
  private final AtomicReference<State> state;
  private final ScheduledExecutorService events;
  private final CompletableFuture<FrameworkID> subscribed = new CompletableFuture<>();
  private volatile boolean tearingDown;
  private volatile SchedulerListener listener;
  private volatile FrameworkID frameworkId;
  private volatile MesosClient<Call, Event> client;
  private volatile ZkMasterDetector detector;
  private volatile long lastEventNanos;
  private volatile EventDispatcher dispatcher;
  /** host:port of the master of the current subscription (the leader, for ZooKeeper); null before it. */
  private volatile String subscribedAt;

  // Owned by the events thread.
  private String target;
  private String clientTarget;
  private Subscription subscription;
  private int generation;
  private int attempts;
  private boolean everSubscribed;
  private String lastFailure;
  private Duration heartbeat = DEFAULT_HEARTBEAT;
  private ScheduledFuture<?> watchdog;
  private ScheduledFuture<?> retry;
  private ScheduledFuture<?> registrationTimer;
  private ScheduledFuture<?> waitingTimer;
  private boolean saidWaiting;

  /** @param state the link's lifecycle, shared: the link moves it NEW to CONNECTING, and to CLOSED */
  public SubscriptionLoop(SchedulerLinkConfig config, AtomicReference<State> state) {
    this.config = config;
    this.state = state;
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, NamedThreads.single(EVENTS_THREAD));
    executor.setRemoveOnCancelPolicy(true);
    this.events = executor;
  }

  /** Begins subscribing (the state is already CONNECTING). */
  public void start(SchedulerListener listener) {
    this.listener = listener;
    this.dispatcher = new EventDispatcher(listener, this::call);
    log.info("subscribing to {} as framework '{}' (user {}{})", config.master(), config.frameworkName(), config.user(),
        config.principal().map(p -> ", principal " + p).orElse(""));
    onEvents(() -> {
      registrationTimer = events.schedule(this::registrationTimedOut, config.registrationTimeout().toNanos(),
          TimeUnit.NANOSECONDS);
      waitingTimer = events.schedule(() -> sayWaiting(null), WAITING_NOTICE.toNanos(), TimeUnit.NANOSECONDS);
      if (config.master() instanceof MasterUrl.Mesos mesos) {
        target = mesos.httpEndpoint().substring("http://".length());
        connect();
      } else if (config.master() instanceof MasterUrl.ZooKeeper zk) {
        ZkMasterDetector d = ZkMasterDetector.create(zk);
        detector = d;
        d.start(leader -> onEvents(() -> leaderChanged(leader.map(ZkMasterDetector.Leader::address).orElse(null))));
      }
    });
  }

  public Optional<FrameworkID> frameworkId() {
    return Optional.ofNullable(frameworkId);
  }

  /** host:port of the master of the last SUBSCRIBED (the leader, for ZooKeeper), once there was one. */
  public Optional<String> subscribedAt() {
    return Optional.ofNullable(subscribedAt);
  }

  public CompletableFuture<FrameworkID> subscribed() {
    return subscribed;
  }

  public long acknowledgements() {
    EventDispatcher d = dispatcher;
    return d == null ? 0 : d.acknowledgements();
  }

  /**
   * Stops everything (the state is already CLOSED): TEARDOWN first when asked and the link was
   * subscribed, then the stream, the client, the detector and the events thread.
   */
  public void stop(State previous, boolean teardown) {
    if (teardown && previous == State.SUBSCRIBED) {
      teardown();
    }
    subscribed.completeExceptionally(new SchedulerLinkException("the scheduler link was closed before it subscribed"));
    onEventsAndWait(this::release);
    events.shutdown();
  }

  /**
   * Sends TEARDOWN and waits for the answer. Called while the link is still SUBSCRIBED: once it is
   * CLOSED the events thread may close the stream first, and Mesos answers 403 to a disconnected
   * framework, which then lingers for its failover timeout.
   */
  public void teardown() {
    FrameworkID id = frameworkId;
    if (id != null) {
      // From here the master ends the stream and forgets the framework: neither is news.
      tearingDown = true;
      // An update being handled right now gets its ACKNOWLEDGE out before the TEARDOWN (calls go
      // out one at a time, in order): sent after it, the ACK would fail on the closed client (a
      // WARN at the end of every clean job) or reach a master that no longer knows the framework.
      // Later events are dropped (tearingDown).
      onEventsAndWait(() -> { });
      EventDispatcher d = dispatcher;
      if (d != null) {
        d.ending();
      }
      try {
        call(SchedulerCalls.teardown(id)).get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        log.info("[framework={}] torn down", id.getValue());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        log.warn("[framework={}] TEARDOWN failed ({}); Mesos removes the framework after its failover timeout {}",
            id.getValue(), rootMessage(e), config.failoverTimeout());
      }
    }
  }

  private void connect() {
    if (state.get().terminal() || target == null) {
      return;
    }
    if (client == null || !target.equals(clientTarget)) {
      closeClient();
      client = MesosClient.create(MesosApi.SCHEDULER, SchedulerClients.clientConfig(config, target)).start();
      clientTarget = target;
    }
    int gen = ++generation;
    Call call = SchedulerCalls.subscribe(FrameworkInfoFactory.create(config, frameworkId));
    try {
      client.subscribe(call, new StreamListener(gen))
          .whenComplete((s, e) -> onEvents(() -> subscribeAnswered(gen, s, e)));
    } catch (IllegalStateException e) {
      subscribeAnswered(gen, null, e);
    }
  }

  private void subscribeAnswered(int gen, Subscription opened, Throwable error) {
    if (gen != generation || state.get().terminal()) {
      if (opened != null) {
        opened.close();
      }
      return;
    }
    if (error == null) {
      subscription = opened;
      return; // SUBSCRIBED follows on the stream
    }
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    Optional<String> fatal = LinkFailures.fatal(cause, config, target);
    if (fatal.isPresent()) {
      fail(fatal.get(), cause);
      return;
    }
    lastFailure = cause.getMessage();
    if (state.get() == State.CONNECTING) {
      // The first subscription: one line says what the driver waits for, the registration timeout ends it.
      log.debug("SUBSCRIBE to {} failed, retrying: {}", target, lastFailure);
      sayWaiting(lastFailure);
    } else {
      log.info("resubscribing to {} failed, retrying: {}", target, lastFailure);
    }
    scheduleRetry();
  }

  /**
   * Once per link, while the first subscription is still pending: what the driver is waiting for and
   * for how long at most. Retries are DEBUG; the end is the registration timeout's one-line error.
   */
  private void sayWaiting(String failure) {
    if (saidWaiting || state.get() != State.CONNECTING) {
      return;
    }
    saidWaiting = true;
    cancel(waitingTimer);
    String upTo = " (up to " + LinkFailures.format(config.registrationTimeout()) + ", ferry.mesos.registrationTimeout)";
    if (target == null && config.master() instanceof MasterUrl.ZooKeeper zk) {
      ZkMasterDetector d = detector;
      String why = d == null ? "" : d.everConnected() ? ": none has registered under " + zk.path() + " yet"
          : ": ZooKeeper does not answer yet";
      log.warn("waiting for a leading Mesos master in ZooKeeper at {}{}{}", zk.connectString() + zk.path(), upTo, why);
    } else {
      log.warn("waiting for the Mesos master at {}{}{}", target, upTo,
          failure == null ? ": no answer yet" : ": " + PeerText.escape(failure, 300)); // may quote the master's body
    }
  }

  private void handle(int gen, Event event) {
    if (gen != generation || state.get().terminal() || tearingDown) {
      return; // from a stream we have abandoned
    }
    switch (event.getType()) {
      case SUBSCRIBED -> subscribedEvent(event.getSubscribed());
      case ERROR -> fail(LinkFailures.errorEvent(target, event.getError().getMessage()), null);
      case HEARTBEAT -> { }
      default -> dispatcher.dispatch(event);
    }
  }

  private void subscribedEvent(Event.Subscribed s) {
    FrameworkID id = s.getFrameworkId();
    frameworkId = id;
    heartbeat = s.hasHeartbeatIntervalSeconds() && s.getHeartbeatIntervalSeconds() > 0
        ? Duration.ofNanos((long) (s.getHeartbeatIntervalSeconds() * 1e9)) : DEFAULT_HEARTBEAT;
    if (!state.compareAndSet(State.CONNECTING, State.SUBSCRIBED) && !state.compareAndSet(State.RECONNECTING, State.SUBSCRIBED)) {
      return;
    }
    boolean resubscribed = everSubscribed;
    everSubscribed = true;
    attempts = 0;
    lastFailure = null;
    cancel(registrationTimer);
    cancel(waitingTimer);
    armWatchdog();
    dispatcher.setFrameworkId(id);
    subscribedAt = target;
    log.info("[framework={}] {} at {} (heartbeat {})", id.getValue(), resubscribed ? "resubscribed" : "subscribed",
        target, LinkFailures.format(heartbeat));
    dispatcher.safely("subscribed", () -> listener.subscribed(id, s.getMasterInfo(), resubscribed));
    reconcileAll(id);
    subscribed.complete(id);
  }

  /** Explicit for the tasks the driver knows, then implicit: Mesos's advice after every SUBSCRIBED. */
  private void reconcileAll(FrameworkID id) {
    List<TaskStatus> known = List.of();
    try {
      known = config.knownTasks().get();
    } catch (RuntimeException e) {
      log.error("[framework={}] knownTasks supplier failed; reconciling implicitly only", id.getValue(), e);
    }
    if (known != null && !known.isEmpty()) {
      logFailure(call(SchedulerCalls.reconcile(id, known)), id, "explicit RECONCILE of " + known.size() + " tasks");
    }
    logFailure(call(SchedulerCalls.reconcile(id, List.of())), id, "implicit RECONCILE");
  }

  private void streamClosed(int gen, Throwable cause) {
    if (gen != generation || state.get().terminal() || tearingDown) {
      return;
    }
    generation++;
    subscription = null;
    lost(cause == null ? "the event stream closed" : cause.getMessage());
  }

  private void lost(String reason) {
    cancel(watchdog);
    lastFailure = reason;
    if (state.compareAndSet(State.SUBSCRIBED, State.RECONNECTING)) {
      log.warn("[framework={}] disconnected from {}: {}; resubscribing", frameworkId.getValue(), target, reason);
      dispatcher.safely("disconnected", () -> listener.disconnected(reason));
    }
    scheduleRetry();
  }

  private void scheduleRetry() {
    cancel(retry);
    attempts++;
    Duration delay = SchedulerClients.backoff(config, attempts);
    retry = events.schedule(this::connect, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void armWatchdog() {
    cancel(watchdog);
    lastEventNanos = System.nanoTime();
    long period = heartbeat.toNanos();
    watchdog = events.scheduleWithFixedDelay(() -> {
      long silent = System.nanoTime() - lastEventNanos;
      if (state.get() == State.SUBSCRIBED && silent > period * config.missedHeartbeats()) {
        generation++;
        closeSubscription();
        lost("no event for " + LinkFailures.format(Duration.ofNanos(silent)) + " (" + config.missedHeartbeats()
            + " heartbeat intervals of " + LinkFailures.format(heartbeat) + ")");
      }
    }, period, period, TimeUnit.NANOSECONDS);
  }

  /** ZooKeeper named a new leader (null: none): abandon the old one and subscribe there. */
  private void leaderChanged(String leader) {
    if (state.get().terminal() || Objects.equals(leader, target)) {
      return;
    }
    String before = target;
    target = leader;
    generation++;
    closeSubscription();
    cancel(watchdog);
    cancel(retry);
    if (before != null) {
      String reason = leader == null ? "no leading master in ZooKeeper" : "the leading master moved to " + leader;
      if (state.compareAndSet(State.SUBSCRIBED, State.RECONNECTING)) {
        log.warn("[framework={}] {}; resubscribing", frameworkId.getValue(), reason);
        dispatcher.safely("disconnected", () -> listener.disconnected(reason));
      }
    }
    attempts = 0;
    connect();
  }

  private void registrationTimedOut() {
    if (state.get() == State.CONNECTING) {
      ZkMasterDetector d = detector;
      if (target == null && d != null && lastFailure == null) {
        lastFailure = d.everConnected() ? "ZooKeeper answered, but no master has registered there"
            : "ZooKeeper never answered";
      }
      fail(LinkFailures.registrationTimedOut(config, target, lastFailure), null);
    }
  }

  private void fail(String message, Throwable cause) {
    State now = state.get();
    while (!now.terminal()) {
      if (state.compareAndSet(now, State.FAILED)) {
        if (everSubscribed) {
          log.error("scheduler link stopped: {}", message);
        } else {
          // Before the first SUBSCRIBED the failure is the caller's to report (subscribed() fails with it):
          // logging it here too would print the same line twice.
          log.debug("scheduler link stopped before it subscribed: {}", message);
        }
        release();
        dispatcher.safely("error", () -> listener.error(message));
        subscribed.completeExceptionally(new SchedulerLinkException(message, cause));
        return;
      }
      now = state.get();
    }
  }

  /** Lets go of everything but the events thread; runs on it. */
  private void release() {
    generation++;
    cancel(watchdog);
    cancel(retry);
    cancel(registrationTimer);
    cancel(waitingTimer);
    closeSubscription();
    closeClient();
    ZkMasterDetector d = detector;
    detector = null;
    if (d != null) {
      d.close();
    }
  }

  private void closeSubscription() {
    if (subscription != null) {
      subscription.close();
      subscription = null;
    }
  }

  private void closeClient() {
    MesosClient<Call, Event> c = client;
    client = null;
    clientTarget = null;
    if (c != null) {
      c.close();
    }
  }

  private static void cancel(ScheduledFuture<?> future) {
    if (future != null) {
      future.cancel(false);
    }
  }

  private void onEvents(Runnable task) {
    try {
      events.execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("scheduler link stopped; dropping a task");
    }
  }

  private void onEventsAndWait(Runnable task) {
    if (Thread.currentThread().getName().equals(EVENTS_THREAD)) {
      task.run();
      return;
    }
    try {
      events.submit(task).get(10, TimeUnit.SECONDS);
    } catch (RejectedExecutionException e) {
      task.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("closing the scheduler link: {}", rootMessage(e));
    }
  }

  /** Sends a call on the current connection; fails at once when there is none. */
  public CompletableFuture<Void> call(Call call) {
    MesosClient<Call, Event> c = client;
    if (c == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("the scheduler link is " + state.get()
          + ": no connection to a master"));
    }
    try {
      return c.call(call).thenApply(response -> null);
    } catch (IllegalStateException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static void logFailure(CompletableFuture<Void> call, FrameworkID id, String what) {
    call.whenComplete((ok, e) -> {
      if (e != null) {
        log.warn("[framework={}] {} failed: {}", id.getValue(), what, rootMessage(e));
      }
    });
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  /** Hands a stream's events to the events thread, tagged with its generation. */
  private final class StreamListener implements EventListener<Event> {
    private final int gen;

    StreamListener(int gen) {
      this.gen = gen;
    }

    @Override
    public void onEvent(Event event) {
      lastEventNanos = System.nanoTime();
      onEvents(() -> handle(gen, event));
    }

    @Override
    public void onClosed(Throwable cause) {
      onEvents(() -> streamClosed(gen, cause));
    }
  }

}
