package io.ferry.driver.mesos;

import io.ferry.driver.MasterUrl;
import io.ferry.driver.mesos.internal.EventDispatcher;
import io.ferry.driver.mesos.internal.FrameworkInfoFactory;
import io.ferry.driver.mesos.internal.LinkFailures;
import io.ferry.driver.mesos.internal.NamedThreads;
import io.ferry.driver.mesos.internal.SchedulerCalls;
import io.ferry.mesos.http.EventListener;
import io.ferry.mesos.http.MesosApi;
import io.ferry.mesos.http.MesosAuthorization;
import io.ferry.mesos.http.MesosClient;
import io.ferry.mesos.http.MesosClientConfig;
import io.ferry.mesos.http.Subscription;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's link to Mesos: a framework on the v1 scheduler API that stays subscribed.
 *
 * <ul>
 *   <li>SUBSCRIBEs with the configured FrameworkInfo (HTTP Basic when a secret is set), to the
 *       master of a {@code mesos://} URL (following 307s to the leader) or to the leader a
 *       {@link ZkMasterDetector} finds, moving to each new leader.
 *   <li>Resubscribes with the framework ID, with backoff (doubling, at most
 *       {@link SchedulerLinkConfig#maxBackoff()}), when the stream closes or stays silent for
 *       {@link SchedulerLinkConfig#missedHeartbeats()} heartbeat intervals.
 *   <li>After every SUBSCRIBED, RECONCILEs the tasks {@link SchedulerLinkConfig#knownTasks()} names,
 *       then every task (implicitly).
 *   <li>ACKNOWLEDGEs each update that carries a uuid, once the listener's {@code update} returned.
 * </ul>
 *
 * <pre>{@code
 * try (SchedulerLink link = SchedulerLink.create(SchedulerLinkConfig.builder(conf).build())) {
 *   link.start(listener);                                 // events on ferry-scheduler-events
 *   FrameworkID id = link.subscribed().get(60, TimeUnit.SECONDS);
 *   ...  link.decline(List.of(offer.getId()), Filters.newBuilder().setRefuseSeconds(120).build());
 * }                                                       // TEARDOWN
 * }</pre>
 *
 * <p>Threads: the link's state and every listener callback live on one thread,
 * {@code ferry-scheduler-events}; calls may be made from any thread and complete on the
 * {@link MesosClient}'s callback threads. See driver/THREADING.md.
 */
public final class SchedulerLink implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SchedulerLink.class);
  private static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);

  /** The link's lifecycle. It moves forward only, but between SUBSCRIBED and RECONNECTING. */
  public enum State {
    /** Created; {@link #start} moves on. */
    NEW,
    /** Subscribing for the first time; retries until the registration timeout. */
    CONNECTING,
    /** SUBSCRIBED: events flow and calls are accepted. */
    SUBSCRIBED,
    /** The stream or the leader was lost; resubscribing with the framework ID, with backoff. */
    RECONNECTING,
    /** Stopped by a fatal error; the listener's {@code error} was told why. Only {@link #close} is left to do. */
    FAILED,
    /** Closed by {@link #close}. */
    CLOSED;

    boolean terminal() {
      return this == FAILED || this == CLOSED;
    }
  }

  private final SchedulerLinkConfig config;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private final ScheduledExecutorService events;
  private final CompletableFuture<FrameworkID> subscribed = new CompletableFuture<>();
  private volatile SchedulerListener listener;
  private volatile FrameworkID frameworkId;
  private volatile MesosClient<Call, Event> client;
  private volatile ZkMasterDetector detector;
  private volatile long lastEventNanos;
  private volatile EventDispatcher dispatcher;

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

  private SchedulerLink(SchedulerLinkConfig config) {
    this.config = config;
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(1, NamedThreads.single("ferry-scheduler-events"));
    executor.setRemoveOnCancelPolicy(true);
    this.events = executor;
  }

  /** A link in state NEW; nothing connects until {@link #start}. */
  public static SchedulerLink create(SchedulerLinkConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("config: null (expected: a SchedulerLinkConfig)");
    }
    return new SchedulerLink(config);
  }

  /**
   * Starts subscribing; returns at once. Progress and failures reach {@code listener}; see also
   * {@link #subscribed()}.
   *
   * @throws IllegalStateException when started before, or closed
   */
  public void start(SchedulerListener listener) {
    if (listener == null) {
      throw new IllegalArgumentException("listener: null (expected: a SchedulerListener)");
    }
    if (!state.compareAndSet(State.NEW, State.CONNECTING)) {
      throw new IllegalStateException("cannot start a " + state.get() + " SchedulerLink (expected: NEW)");
    }
    this.listener = listener;
    this.dispatcher = new EventDispatcher(listener, this::acknowledge);
    log.info("subscribing to {} as framework '{}' (user {}{})", config.master(), config.frameworkName(), config.user(),
        config.principal().map(p -> ", principal " + p).orElse(""));
    onEvents(() -> {
      registrationTimer = events.schedule(this::registrationTimedOut, config.registrationTimeout().toNanos(),
          TimeUnit.NANOSECONDS);
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

  public State state() {
    return state.get();
  }

  /** The framework's ID, once the master gave one. */
  public Optional<FrameworkID> frameworkId() {
    return Optional.ofNullable(frameworkId);
  }

  /**
   * Completes with the framework ID at the first SUBSCRIBED; fails with a
   * {@link SchedulerLinkException} carrying the same line as the listener's {@code error} if the
   * link stops first.
   */
  public CompletableFuture<FrameworkID> subscribed() {
    return subscribed.copy();
  }

  public CompletableFuture<Void> accept(List<OfferID> offers, List<Offer.Operation> operations, Filters filters) {
    return send(id -> SchedulerCalls.accept(id, offers, operations, filters));
  }

  public CompletableFuture<Void> decline(List<OfferID> offers, Filters filters) {
    return send(id -> SchedulerCalls.decline(id, offers, filters));
  }

  /** Asks for no more offers (until {@link #revive}). */
  public CompletableFuture<Void> suppress() {
    return send(SchedulerCalls::suppress);
  }

  /** Asks for offers again, clearing every decline filter. */
  public CompletableFuture<Void> revive() {
    return send(SchedulerCalls::revive);
  }

  /** Kills a task; {@code agent} may be null when unknown. */
  public CompletableFuture<Void> kill(TaskID task, AgentID agent) {
    return send(id -> SchedulerCalls.kill(id, task, agent));
  }

  public CompletableFuture<Void> shutdown(ExecutorID executor, AgentID agent) {
    return send(id -> SchedulerCalls.shutdown(id, executor, agent));
  }

  /** Explicit reconciliation of these tasks, or implicit (every task) for an empty list. */
  public CompletableFuture<Void> reconcile(List<TaskStatus> known) {
    return send(id -> SchedulerCalls.reconcile(id, known));
  }

  public CompletableFuture<Void> message(AgentID agent, ExecutorID executor, byte[] data) {
    return send(id -> SchedulerCalls.message(id, agent, executor, data));
  }

  /** How many ACKNOWLEDGE calls were sent (for tests). */
  long acknowledgementsSent() {
    EventDispatcher d = dispatcher;
    return d == null ? 0 : d.acknowledgements();
  }

  /** {@code close(true)}: TEARDOWN, so Mesos shuts the executors down and forgets the framework. */
  @Override
  public void close() {
    close(true);
  }

  /**
   * Stops the link. With {@code teardown} (a clean end) the framework is torn down first; without
   * it the stream is only closed, so the executors live on for the failover timeout and another
   * link may resubscribe with {@link #frameworkId()}. Harmless when repeated.
   */
  public void close(boolean teardown) {
    State previous = state.getAndSet(State.CLOSED);
    if (previous == State.CLOSED) {
      return;
    }
    FrameworkID id = frameworkId;
    if (teardown && previous == State.SUBSCRIBED && id != null) {
      try {
        call(SchedulerCalls.teardown(id)).get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        log.info("[framework={}] torn down", id.getValue());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        log.warn("[framework={}] TEARDOWN failed ({}); Mesos removes the framework after its failover timeout {}",
            id.getValue(), rootMessage(e), config.failoverTimeout());
      }
    }
    subscribed.completeExceptionally(new SchedulerLinkException("the scheduler link was closed before it subscribed"));
    onEventsAndWait(this::release);
    events.shutdown();
  }

  // ---- the events thread ----

  private void connect() {
    if (state.get().terminal() || target == null) {
      return;
    }
    if (client == null || !target.equals(clientTarget)) {
      closeClient();
      client = MesosClient.create(MesosApi.SCHEDULER, clientConfig(target)).start();
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

  private MesosClientConfig clientConfig(String hostPort) {
    MesosAuthorization auth = config.secret().isPresent()
        ? MesosAuthorization.basic(config.principal().orElseThrow(), config.secret().get())
        : MesosAuthorization.none();
    // No idle timeout in the client: the heartbeat interval is only known from SUBSCRIBED; the watchdog uses it.
    return MesosClientConfig.builder(URI.create("http://" + hostPort)).contentType(config.contentType())
        .connectTimeout(config.connectTimeout()).requestTimeout(config.requestTimeout())
        .retryPolicy(config.retryPolicy()).streamIdleTimeout(Duration.ZERO).authorization(auth).build();
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
    log.warn("SUBSCRIBE to {} failed, retrying: {}", target, lastFailure);
    scheduleRetry();
  }

  private void handle(int gen, Event event) {
    if (gen != generation || state.get().terminal()) {
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
    armWatchdog();
    dispatcher.setFrameworkId(id);
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
    if (gen != generation || state.get().terminal()) {
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
    long nanos = config.initialBackoff().toNanos() << Math.min(attempts - 1, 20);
    Duration delay = nanos <= 0 || nanos > config.maxBackoff().toNanos() ? config.maxBackoff() : Duration.ofNanos(nanos);
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
    if (state.get().terminal() || java.util.Objects.equals(leader, target)) {
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
      fail(LinkFailures.registrationTimedOut(config, target, lastFailure), null);
    }
  }

  private void fail(String message, Throwable cause) {
    State now = state.get();
    while (!now.terminal()) {
      if (state.compareAndSet(now, State.FAILED)) {
        log.error("scheduler link stopped: {}", message);
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
    if (Thread.currentThread().getName().equals("ferry-scheduler-events")) {
      task.run();
      return;
    }
    try {
      events.submit(task).get(10, TimeUnit.SECONDS);
    } catch (RejectedExecutionException e) {
      task.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      log.warn("closing the scheduler link: {}", rootMessage(e));
    }
  }

  // ---- calls, from any thread ----

  private CompletableFuture<Void> send(Function<FrameworkID, Call> build) {
    FrameworkID id = frameworkId;
    State now = state.get();
    if (id == null || now == State.NEW || now.terminal()) {
      return CompletableFuture.failedFuture(new IllegalStateException("the scheduler link is " + now
          + (id == null ? " and has no framework ID yet" : "") + " (expected: SUBSCRIBED)"));
    }
    return call(build.apply(id));
  }

  private CompletableFuture<Void> call(Call call) {
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

  private CompletableFuture<Void> acknowledge(Call ack) {
    return call(ack);
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

  @Override
  public String toString() {
    FrameworkID id = frameworkId;
    return "SchedulerLink[" + config.master() + ", " + state.get() + (id == null ? "" : ", framework=" + id.getValue()) + "]";
  }
}
