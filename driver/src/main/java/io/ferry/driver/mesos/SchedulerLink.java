package io.ferry.driver.mesos;

import io.ferry.driver.mesos.internal.SchedulerCalls;
import io.ferry.driver.mesos.internal.SubscriptionLoop;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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

    /** FAILED or CLOSED: nothing more happens. */
    public boolean terminal() {
      return this == FAILED || this == CLOSED;
    }
  }

  private final SchedulerLinkConfig config;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private final SubscriptionLoop loop;

  private SchedulerLink(SchedulerLinkConfig config) {
    this.config = config;
    this.loop = new SubscriptionLoop(config, state);
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
    loop.start(listener);
  }

  public State state() {
    return state.get();
  }

  /** The framework's ID, once the master gave one. */
  public Optional<FrameworkID> frameworkId() {
    return loop.frameworkId();
  }

  /**
   * {@code host:port} of the master the link last subscribed at: for {@code mesos://zk://} the
   * leader ZooKeeper named then (it changes with the leader), else the URL's master.
   */
  public Optional<String> masterAddress() {
    return loop.subscribedAt();
  }

  /**
   * Completes with the framework ID at the first SUBSCRIBED; fails with a
   * {@link SchedulerLinkException} carrying the same line as the listener's {@code error} if the
   * link stops first.
   */
  public CompletableFuture<FrameworkID> subscribed() {
    return loop.subscribed().copy();
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
    return loop.acknowledgements();
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
    boolean tornDown = false;
    if (teardown && state.get() == State.SUBSCRIBED) {
      loop.teardown(); // before CLOSED: the stream must still be open for Mesos to accept it
      tornDown = true;
    }
    State previous = state.getAndSet(State.CLOSED);
    if (previous == State.CLOSED) {
      return;
    }
    loop.stop(previous, teardown && !tornDown);
  }

  // ---- calls, from any thread ----

  private CompletableFuture<Void> send(Function<FrameworkID, Call> build) {
    FrameworkID id = loop.frameworkId().orElse(null);
    State now = state.get();
    if (id == null || now == State.NEW || now.terminal()) {
      return CompletableFuture.failedFuture(new IllegalStateException("the scheduler link is " + now
          + (id == null ? " and has no framework ID yet" : "") + " (expected: SUBSCRIBED)"));
    }
    return loop.call(build.apply(id));
  }

  @Override
  public String toString() {
    return "SchedulerLink[" + config.master() + ", " + state.get() + frameworkId().map(id -> ", framework=" + id.getValue()).orElse("") + "]";
  }
}
