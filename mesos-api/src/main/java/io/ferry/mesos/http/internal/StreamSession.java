package io.ferry.mesos.http.internal;

import com.google.protobuf.Message;
import io.ferry.mesos.ContentType;
import io.ferry.mesos.http.EventListener;
import io.ferry.mesos.http.MesosException;
import io.ferry.mesos.http.MesosStreamException;
import io.ferry.mesos.http.Subscription;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SUBSCRIBE: its attempts (each on a new connection, through redirects and 503 retries) and
 * then the open stream. Attempt state is confined to the session's event loop; {@link #state}
 * is the only thing other threads change, by compare-and-set.
 */
public final class StreamSession<C extends Message, E extends Message> implements Subscription {
  private static final Logger log = LoggerFactory.getLogger(StreamSession.class);

  /** A session moves only forward: CONNECTING, then OPEN or straight to CLOSED, then CLOSED. */
  public enum State {
    /** Attempts under way; the future is pending and the listener has heard nothing. */
    CONNECTING,
    /** 200 received; events flow to the listener. */
    OPEN,
    /** Over: the future failed, or the listener got (or is about to get) {@code onClosed}. */
    CLOSED
  }

  private final ClientContext<C, E> ctx;
  private final EventLoop loop;
  private final String callType;
  private final byte[] body;
  private final ListenerQueue<E> listener;
  private final Consumer<StreamSession<C, E>> onTerminated;
  private final CompletableFuture<Subscription> opened = new CompletableFuture<>();
  private final AtomicReference<State> state = new AtomicReference<>(State.CONNECTING);
  private volatile boolean closeRequested;
  private volatile HttpTarget url;
  private volatile String streamId;

  // Confined to the loop.
  private Channel channel;
  private int retries;
  private int redirects;
  private ScheduledFuture<?> headTimeout;

  public StreamSession(ClientContext<C, E> ctx, EventLoop loop, C call, EventListener<? super E> listener,
      Consumer<StreamSession<C, E>> onTerminated) {
    this.ctx = ctx;
    this.loop = loop;
    this.callType = ctx.api().callType(call);
    this.body = ctx.contentType().encode(call);
    this.listener = new ListenerQueue<>(listener);
    this.onTerminated = onTerminated;
    this.url = ctx.target();
    opened.whenComplete((ignored, error) -> {
      if (opened.isCancelled()) {
        close();
      }
    });
  }

  /** Completes when the 200 head arrives; fails with a {@link MesosException}. */
  public CompletableFuture<Subscription> opened() {
    return opened;
  }

  public void start() {
    onLoop(() -> attempt(ctx.target()));
  }

  /** Runs on the session's loop; if that has already stopped, ends the session here instead. */
  private void onLoop(Runnable task) {
    if (ClientContext.runOn(loop, task)) {
      return;
    }
    if (state.compareAndSet(State.CONNECTING, State.CLOSED)) {
      listener.discard();
      onTerminated.accept(this);
      ctx.complete(opened, null, Failures.closedEarly(callType, url));
    } else if (state.compareAndSet(State.OPEN, State.CLOSED)) {
      listener.close(null);
      onTerminated.accept(this);
    }
  }

  private void attempt(HttpTarget target) {
    if (state.get() != State.CONNECTING) {
      return;
    }
    url = target;
    ctx.connect(loop, target, new StreamChannelInitializer(this), (connected, error) -> {
      if (state.get() != State.CONNECTING) {
        if (connected != null) {
          connected.close();
        }
        return;
      }
      if (error != null) {
        fail(Failures.connection(callType, target, error));
        return;
      }
      channel = connected;
      Duration timeout = ctx.config().requestTimeout();
      headTimeout = loop.schedule(() -> onHeadTimeout(connected, timeout), timeout.toNanos(), TimeUnit.NANOSECONDS);
      connected.writeAndFlush(ctx.requests().build(target, callType, body, true)).addListener(written -> {
        if (!written.isSuccess()) {
          onAttemptFailed(connected, written.cause());
        }
      });
    });
  }

  void onStreamOpened(Channel from, HttpResponse head) {
    if (from != channel || state.get() != State.CONNECTING) {
      from.close();
      return;
    }
    cancelHeadTimeout();
    String type = head.headers().get(HttpHeaderNames.CONTENT_TYPE);
    if (ContentType.ofHeader(type).orElse(null) != ctx.contentType()) {
      fail(Failures.unexpected(callType, url, 200, "200 OK with Content-Type '" + type + "', expected a "
          + ctx.contentType().mediaType() + " stream"));
      return;
    }
    if (ctx.api().usesStreamId()) {
      streamId = head.headers().get(RequestFactory.STREAM_ID_HEADER);
      if (streamId == null) {
        log.warn("[{}] SUBSCRIBE to {} answered without a {} header", ctx.api().name(), url,
            RequestFactory.STREAM_ID_HEADER);
      }
      ctx.streamId(streamId);
    }
    Duration idle = ctx.config().streamIdleTimeout();
    if (!idle.isZero()) {
      from.pipeline().addFirst(StreamChannelInitializer.IDLE_HANDLER,
          new IdleStateHandler(idle.toNanos(), 0, 0, TimeUnit.NANOSECONDS));
    }
    listener.onDrained(() -> ClientContext.runOn(from.eventLoop(), () -> {
      if (listener.backlog() <= ListenerQueue.LOW_WATER) {
        from.config().setAutoRead(true);
      }
    }));
    if (state.compareAndSet(State.CONNECTING, State.OPEN)) {
      log.debug("[{}] stream open at {} (stream id {})", ctx.api().name(), url, streamId);
      ctx.complete(opened, this, null);
    }
  }

  void onRejected(Channel from, int status, String location, byte[] rejectionBody) {
    if (from != channel || state.get() != State.CONNECTING) {
      return;
    }
    cancelHeadTimeout();
    channel = null;
    from.close();
    HttpTarget target = url;
    NextStep step = ctx.triage().next(callType, target, status, location, Failures.bodyPrefix(rejectionBody),
        retries, redirects);
    if (step instanceof NextStep.Redirect redirect) {
      redirects++;
      ctx.redirected(target, redirect.target());
      attempt(redirect.target());
    } else if (step instanceof NextStep.Retry retry) {
      retries++;
      log.debug("[{}] SUBSCRIBE got {}; retry {} in {}", ctx.api().name(), status, retries,
          Failures.format(retry.delay()));
      loop.schedule(() -> attempt(ctx.target()), retry.delay().toNanos(), TimeUnit.NANOSECONDS);
    } else if (step instanceof NextStep.Fail failure) {
      fail(failure.error());
    } else {
      fail(Failures.unexpected(callType, target, status, status + " is not a stream (expected: 200)"));
    }
  }

  void onAttemptFailed(Channel from, Throwable cause) {
    if (from == channel && state.get() == State.CONNECTING) {
      fail(Failures.connection(callType, url, cause));
    }
  }

  private void onHeadTimeout(Channel from, Duration timeout) {
    if (from == channel && state.get() == State.CONNECTING) {
      fail(Failures.timeout(callType, url, timeout, "response headers"));
    }
  }

  /** Ends a session that never opened: the future fails, the listener hears nothing. */
  private void fail(MesosException error) {
    if (!state.compareAndSet(State.CONNECTING, State.CLOSED)) {
      return;
    }
    cancelHeadTimeout();
    if (channel != null) {
      channel.close();
    }
    listener.discard();
    onTerminated.accept(this);
    ctx.complete(opened, null, error);
  }

  /** @return the listener's backlog, including this event */
  int deliver(E event) {
    // After a failed open (e.g. a wrong Content-Type) records may still be in the pipeline.
    if (state.get() != State.OPEN) {
      return 0;
    }
    return listener.onEvent(event);
  }

  void onStreamClosed(Channel from, MesosStreamException cause) {
    if (from != channel || !state.compareAndSet(State.OPEN, State.CLOSED)) {
      return;
    }
    if (closeRequested) {
      log.debug("[{}] stream from {} closed", ctx.api().name(), url);
    } else {
      log.info("[{}] {}", ctx.api().name(), cause.getMessage());
    }
    listener.close(closeRequested ? null : cause);
    onTerminated.accept(this);
  }

  MesosStreamException streamException(MesosStreamException.Reason reason, String detail, Throwable cause) {
    return Failures.stream(callType, url, reason, detail, cause);
  }

  ClientContext<C, E> context() {
    return ctx;
  }

  private void cancelHeadTimeout() {
    if (headTimeout != null) {
      headTimeout.cancel(false);
      headTimeout = null;
    }
  }

  public State state() {
    return state.get();
  }

  @Override
  public URI url() {
    return url.url();
  }

  @Override
  public ContentType contentType() {
    return ctx.contentType();
  }

  @Override
  public Optional<String> streamId() {
    return Optional.ofNullable(streamId);
  }

  @Override
  public boolean isOpen() {
    return state.get() == State.OPEN;
  }

  @Override
  public void close() {
    closeRequested = true;
    onLoop(() -> {
      if (state.get() == State.CONNECTING) {
        fail(Failures.closedEarly(callType, url));
      } else if (channel != null) {
        channel.close();
      }
    });
  }

  @Override
  public String toString() {
    return "Subscription[" + url + ", " + state.get() + (streamId == null ? "" : ", stream id " + streamId) + "]";
  }
}
