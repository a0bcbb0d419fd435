package io.ferry.mesos.http.internal;

import com.google.protobuf.Message;
import io.ferry.mesos.ContentType;
import io.ferry.mesos.http.MesosApi;
import io.ferry.mesos.http.MesosClientConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a client's two connection flows (the stream and the calls) share: the configuration, the
 * current endpoint (moved by any 307), the current stream id, and the means to connect and to
 * complete user futures off the event loop.
 */
public final class ClientContext<C extends Message, E extends Message> {
  private static final Logger log = LoggerFactory.getLogger(ClientContext.class);

  private final MesosApi<C, E> api;
  private final MesosClientConfig config;
  private final AtomicReference<HttpTarget> target;
  private final AtomicReference<String> streamId = new AtomicReference<>();
  private final Bootstrap bootstrap;
  private final ExecutorService callbacks;
  private final HostResolver resolver;
  private final RequestFactory requests;
  private final ResponseTriage triage;

  public ClientContext(MesosApi<C, E> api, MesosClientConfig config, EventLoopGroup group) {
    this.api = api;
    this.config = config;
    this.target = new AtomicReference<>(HttpTarget.of(config.endpoint(), api.path()));
    this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class).disableResolver()
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true);
    // Unbounded threads on demand: a user callback that blocks must not hold up other completions.
    this.callbacks = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
        new NamedThreadFactory("ferry-mesos-callback", false));
    this.resolver = new HostResolver(callbacks);
    this.requests = new RequestFactory(config.contentType(), config.authorization(),
        () -> api.usesStreamId() ? streamId.get() : null);
    this.triage = new ResponseTriage(config.retryPolicy(), config.maxRedirects());
  }

  public MesosApi<C, E> api() {
    return api;
  }

  public MesosClientConfig config() {
    return config;
  }

  public ContentType contentType() {
    return config.contentType();
  }

  /** The URL calls go to now. */
  public HttpTarget target() {
    return target.get();
  }

  /** A 307 named a new leader: later calls of both flows go there. */
  void redirected(HttpTarget from, HttpTarget to) {
    if (!to.equals(target.getAndSet(to))) {
      log.info("[{}] {} redirected to {}; it is the endpoint from now on", api.name(), from, to);
    }
  }

  public String streamId() {
    return streamId.get();
  }

  void streamId(String id) {
    streamId.set(id);
  }

  RequestFactory requests() {
    return requests;
  }

  ResponseTriage triage() {
    return triage;
  }

  /**
   * Resolves and connects a channel on {@code loop}; {@code then} runs on that loop with the
   * channel or the failure.
   */
  void connect(EventLoop loop, HttpTarget to, ChannelHandler initializer, BiConsumer<Channel, Throwable> then) {
    resolver.resolve(to).whenComplete((address, resolveFailure) -> runOn(loop, () -> {
      if (resolveFailure != null) {
        then.accept(null, resolveFailure instanceof java.util.concurrent.CompletionException
            ? resolveFailure.getCause() : resolveFailure);
        return;
      }
      bootstrap.clone(loop).handler(initializer).connect(address).addListener((ChannelFuture connected) ->
          then.accept(connected.isSuccess() ? connected.channel() : null, connected.cause()));
    }));
  }

  /** Completes a user's future on a callback thread, so user code never runs on an event loop. */
  <T> void complete(CompletableFuture<T> future, T value, Throwable error) {
    Runnable completion = () -> {
      if (error == null) {
        future.complete(value);
      } else {
        future.completeExceptionally(error);
      }
    };
    try {
      callbacks.execute(completion);
    } catch (RejectedExecutionException closed) {
      completion.run();
    }
  }

  /** Lets queued completions finish; no new ones start. */
  public void shutdownCallbacks() {
    callbacks.shutdown();
  }

  /** @return false when the loop has shut down and the task will never run */
  static boolean runOn(EventLoop loop, Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
      return true;
    }
    try {
      loop.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      log.debug("event loop already shut down; dropped {}", task);
      return false;
    }
  }
}
