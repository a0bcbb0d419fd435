package io.ferry.mesos.http;

import com.google.protobuf.Message;
import io.ferry.mesos.http.internal.CallSequencer;
import io.ferry.mesos.http.internal.ClientContext;
import io.ferry.mesos.http.internal.NamedThreadFactory;
import io.ferry.mesos.http.internal.PendingCall;
import io.ferry.mesos.http.internal.StreamSession;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.EventExecutor;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streaming HTTP client for one of Mesos's v1 APIs ({@link MesosApi#SCHEDULER} or
 * {@link MesosApi#EXECUTOR}), in pure Java on Netty.
 *
 * <ul>
 *   <li>{@link #subscribe} POSTs SUBSCRIBE on a connection of its own and delivers the RecordIO
 *       event stream to a listener on a dedicated thread. For the scheduler API it keeps the
 *       {@code Mesos-Stream-Id} and sends it with every later call.
 *   <li>{@link #call} sends every other call on a second, keep-alive connection, strictly one at a
 *       time in submission order (Mesos can reorder calls sent in parallel).
 *   <li>Both follow 307 redirects to a new leader (which becomes the endpoint for later calls) and
 *       retry 503 answers per the {@link RetryPolicy}; other failures come back as typed
 *       {@link MesosException}s.
 * </ul>
 *
 * <pre>{@code
 * MesosClientConfig config = MesosClientConfig.builder(URI.create("http://" + System.getenv("MESOS_AGENT_ENDPOINT")))
 *     .authorization(MesosAuthorization.fromExecutorEnvironment(System.getenv()))
 *     .build();
 * try (MesosClient<Call, Event> client = MesosClient.create(MesosApi.EXECUTOR, config).start()) {
 *   Subscription stream = client.subscribe(subscribeCall, new EventListener<>() {
 *     public void onEvent(Event event) { ... }          // on ferry-mesos-events-N, in order
 *     public void onClosed(Throwable cause) { ... }     // once; null if we closed it
 *   }).get(30, TimeUnit.SECONDS);
 *   MesosResponse accepted = client.call(updateCall).get(30, TimeUnit.SECONDS);  // 202
 * }
 * }</pre>
 *
 * <p>Futures complete on {@code ferry-mesos-callback-N} threads, never on a Netty thread; see
 * THREADING.md.
 *
 * @param <C> the API's Call type
 * @param <E> the API's Event type
 */
public final class MesosClient<C extends Message, E extends Message> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MesosClient.class);
  private static final int IO_THREADS = 2;

  /** The client's lifecycle; it only moves forward. */
  public enum State {
    /** Created; nothing started. {@link #start()} moves on, {@link #close()} ends it. */
    NEW,
    /** I/O threads running; subscribe and call work. */
    RUNNING,
    /** Closed: connections and threads released. Subscribe and call throw. Closing again is harmless. */
    CLOSED
  }

  private final MesosApi<C, E> api;
  private final MesosClientConfig config;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private final Set<StreamSession<C, E>> sessions = ConcurrentHashMap.newKeySet();
  private volatile EventLoopGroup group;
  private volatile ClientContext<C, E> ctx;
  private volatile CallSequencer calls;
  private volatile EventLoop streamLoop;

  private MesosClient(MesosApi<C, E> api, MesosClientConfig config) {
    this.api = api;
    this.config = config;
  }

  /** A client in state NEW; nothing runs until {@link #start()}. */
  public static <C extends Message, E extends Message> MesosClient<C, E> create(MesosApi<C, E> api,
      MesosClientConfig config) {
    if (api == null || config == null) {
      throw new IllegalArgumentException("api: " + api + ", config: " + config + " (expected: both non-null)");
    }
    return new MesosClient<>(api, config);
  }

  /**
   * Starts the I/O threads.
   *
   * @return this client
   * @throws IllegalStateException when started before, or closed
   */
  public synchronized MesosClient<C, E> start() {
    if (state.get() != State.NEW) {
      throw new IllegalStateException("cannot start a " + state.get() + " MesosClient (expected: NEW)");
    }
    EventLoopGroup loops = new MultiThreadIoEventLoopGroup(IO_THREADS,
        new NamedThreadFactory("ferry-mesos-io", true), NioIoHandler.newFactory());
    ClientContext<C, E> context = new ClientContext<>(api, config, loops);
    group = loops;
    ctx = context;
    // Two loops: decoding a large event burst on the stream never delays a call.
    streamLoop = loops.next();
    calls = new CallSequencer(context, loops.next());
    if (!state.compareAndSet(State.NEW, State.RUNNING)) {
      context.shutdownCallbacks();
      loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw new IllegalStateException("MesosClient was closed while starting");
    }
    log.debug("[{}] client started for {}", api.name(), context.target());
    return this;
  }

  /**
   * POSTs a SUBSCRIBE call and streams its events to {@code listener}.
   *
   * @return completes when the 200 response head arrives; fails with a {@link MesosException}
   *     subclass (the listener then hears nothing). Cancelling it abandons the attempt.
   * @throws IllegalArgumentException when {@code call} is not a SUBSCRIBE
   * @throws IllegalStateException when the client is not RUNNING
   */
  public CompletableFuture<Subscription> subscribe(C call, EventListener<? super E> listener) {
    requireRunning();
    if (!api.isSubscribe(call)) {
      throw new IllegalArgumentException("subscribe() takes a SUBSCRIBE call, got " + api.callType(call)
          + " (use call())");
    }
    StreamSession<C, E> session = new StreamSession<>(ctx, streamLoop, call, listener, sessions::remove);
    sessions.add(session);
    if (state.get() != State.RUNNING) {
      session.close(); // close() ran meanwhile and may have missed it
    }
    session.start();
    return session.opened();
  }

  /**
   * Sends a non-SUBSCRIBE call after every call submitted before it has finished.
   *
   * @return completes with the 200 or 202 response; fails with a {@link MesosException} subclass
   * @throws IllegalArgumentException when {@code call} is a SUBSCRIBE
   * @throws IllegalStateException when the client is not RUNNING
   */
  public CompletableFuture<MesosResponse> call(C call) {
    requireRunning();
    if (api.isSubscribe(call)) {
      throw new IllegalArgumentException("call() cannot send SUBSCRIBE; use subscribe()");
    }
    PendingCall pending = new PendingCall(api.callType(call), config.contentType().encode(call));
    calls.submit(pending);
    return pending.future();
  }

  /** The API URL calls go to now: the configured one, or the leader a 307 named. */
  public URI endpoint() {
    ClientContext<C, E> context = ctx;
    return context == null ? URI.create(config.endpoint() + api.path()) : context.target().url();
  }

  /** The {@code Mesos-Stream-Id} of the latest scheduler subscription, sent with every call. */
  public Optional<String> streamId() {
    ClientContext<C, E> context = ctx;
    return context == null ? Optional.empty() : Optional.ofNullable(context.streamId());
  }

  public State state() {
    return state.get();
  }

  public MesosApi<C, E> api() {
    return api;
  }

  /**
   * Closes the stream (its listener gets {@code onClosed(null)}) and the call connection (pending
   * calls fail), then stops the I/O threads, waiting up to a few seconds unless called on one.
   * Harmless when already closed, or never started.
   */
  @Override
  public void close() {
    State previous = state.getAndSet(State.CLOSED);
    if (previous != State.RUNNING) {
      return;
    }
    sessions.forEach(StreamSession::close);
    calls.shutdown();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    if (!onIoThread()) {
      group.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    ctx.shutdownCallbacks();
    log.debug("[{}] client closed", api.name());
  }

  private boolean onIoThread() {
    for (EventExecutor loop : group) {
      if (loop.inEventLoop()) {
        return true;
      }
    }
    return false;
  }

  private void requireRunning() {
    State current = state.get();
    if (current != State.RUNNING) {
      throw new IllegalStateException("MesosClient for " + endpoint() + " is " + current + " (expected: RUNNING)");
    }
  }

  @Override
  public String toString() {
    return "MesosClient[" + api.name() + ", " + endpoint() + ", " + state.get() + "]";
  }
}
