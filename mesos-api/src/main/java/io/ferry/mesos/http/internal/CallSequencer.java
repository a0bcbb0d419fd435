package io.ferry.mesos.http.internal;

import io.ferry.mesos.http.MesosException;
import io.ferry.mesos.http.MesosResponse;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends calls one at a time, in submission order, on one keep-alive connection. Mesos processes
 * calls as they arrive, and an executor's RUNNING sent in parallel with its FINISHED could be
 * overtaken and then dropped; so the next call leaves only when the previous one is answered,
 * including its retries and redirects.
 *
 * <p>All state is confined to one event loop; {@link #submit} and {@link #shutdown} hop onto it.
 */
public final class CallSequencer {
  private static final Logger log = LoggerFactory.getLogger(CallSequencer.class);

  private final ClientContext<?, ?> ctx;
  private final EventLoop loop;
  private final Duration requestTimeout;
  private final ArrayDeque<PendingCall> queue = new ArrayDeque<>();
  private PendingCall current;
  private Channel channel;
  private HttpTarget channelTarget;
  private boolean shutdown;

  public CallSequencer(ClientContext<?, ?> ctx, EventLoop loop) {
    this.ctx = ctx;
    this.loop = loop;
    this.requestTimeout = ctx.config().requestTimeout();
  }

  public void submit(PendingCall call) {
    try {
      loop.execute(() -> {
        if (shutdown) {
          ctx.complete(call.future, null, Failures.clientClosed(call.callType, ctx.target()));
          return;
        }
        queue.add(call);
        sendNext();
      });
    } catch (RejectedExecutionException e) {
      ctx.complete(call.future, null, Failures.clientClosed(call.callType, ctx.target()));
    }
  }

  /** Fails the current and queued calls and closes the connection. */
  public void shutdown() {
    ClientContext.runOn(loop, () -> {
      shutdown = true;
      dropChannel();
      if (current != null) {
        finish(current, null, Failures.clientClosed(current.callType, ctx.target()));
      }
      for (PendingCall call; (call = queue.poll()) != null; ) {
        ctx.complete(call.future, null, Failures.clientClosed(call.callType, ctx.target()));
      }
    });
  }

  private void sendNext() {
    if (current != null || shutdown) {
      return;
    }
    current = queue.poll();
    if (current != null) {
      send(current, ctx.target());
    }
  }

  private void send(PendingCall call, HttpTarget target) {
    if (call != current || shutdown) {
      return;
    }
    call.target = target;
    call.inFlight = true;
    if (channel != null && channel.isActive() && target.equals(channelTarget)) {
      write(call, channel);
      return;
    }
    dropChannel();
    ctx.connect(loop, target, new CallChannelInitializer(this, ctx.config().maxRecordSize()), (connected, error) -> {
      if (call != current || shutdown) {
        if (connected != null) {
          connected.close();
        }
        return;
      }
      if (error != null) {
        finish(call, null, Failures.connection(call.callType, target, error));
        return;
      }
      channel = connected;
      channelTarget = target;
      write(call, connected);
    });
  }

  private void write(PendingCall call, Channel to) {
    call.timeout = loop.schedule(() -> onTimeout(call, to), requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
    to.writeAndFlush(ctx.requests().build(call.target, call.callType, call.body, false)).addListener(written -> {
      if (!written.isSuccess()) {
        onChannelFailure(to, written.cause());
      }
    });
  }

  private void onTimeout(PendingCall call, Channel to) {
    if (call != current || !call.inFlight) {
      return;
    }
    // A late answer would be taken for the next call's, so this connection is done.
    if (to == channel) {
      dropChannel();
    }
    finish(call, null, Failures.timeout(call.callType, call.target, requestTimeout, "response"));
  }

  void onResponse(Channel from, FullHttpResponse response) {
    PendingCall call = current;
    if (from != channel || call == null || !call.inFlight) {
      log.debug("[{}] dropping an unexpected {} from {}", ctx.api().name(), response.status(), channelTarget);
      from.close();
      return;
    }
    call.inFlight = false;
    call.cancelTimeout();
    if (!HttpUtil.isKeepAlive(response)) {
      dropChannel();
    }
    int status = response.status().code();
    byte[] body = ByteBufUtil.getBytes(response.content());
    log.trace("<- {} {} for {} ({} body bytes)", status, call.target, call.callType, body.length);
    NextStep step = ctx.triage().next(call.callType, call.target, status,
        response.headers().get(HttpHeaderNames.LOCATION), Failures.bodyPrefix(body), call.retries, call.redirects);
    if (step instanceof NextStep.Succeed) {
      finish(call, new MesosResponse(status, headers(response), body), null);
    } else if (step instanceof NextStep.Redirect redirect) {
      call.redirects++;
      ctx.redirected(call.target, redirect.target());
      send(call, redirect.target());
    } else if (step instanceof NextStep.Retry retry) {
      call.retries++;
      log.debug("[{}] {} got {}; retry {} in {}", ctx.api().name(), call.callType, status, call.retries,
          Failures.format(retry.delay()));
      loop.schedule(() -> send(call, ctx.target()), retry.delay().toNanos(), TimeUnit.NANOSECONDS);
    } else {
      finish(call, null, ((NextStep.Fail) step).error());
    }
  }

  void onChannelFailure(Channel failed, Throwable cause) {
    if (failed != channel) {
      return; // an earlier connection, already given up
    }
    dropChannel();
    PendingCall call = current;
    if (call != null && call.inFlight) {
      finish(call, null, Failures.connection(call.callType, call.target, cause));
    }
  }

  private void finish(PendingCall call, MesosResponse response, MesosException error) {
    call.cancelTimeout();
    call.inFlight = false;
    current = null;
    ctx.complete(call.future, response, error);
    sendNext();
  }

  private void dropChannel() {
    if (channel != null) {
      channel.close();
      channel = null;
      channelTarget = null;
    }
  }

  private static Map<String, List<String>> headers(FullHttpResponse response) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> header : response.headers()) {
      headers.computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(header.getValue());
    }
    headers.replaceAll((name, values) -> List.copyOf(values));
    return headers;
  }
}
