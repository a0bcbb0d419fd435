package io.ferry.mesos.local.master;

import io.ferry.mesos.local.ThreadTimers;
import io.ferry.mesos.local.http.HttpResponses;
import io.ferry.mesos.local.http.RecordStream;
import io.ferry.mesos.local.webui.WebUiRoute;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * {@code /api/v1/scheduler} (also {@code /master/api/v1/scheduler}): parses the request on the
 * event loop, then decides on the master's thread through {@link SchedulerGate} and
 * {@link MasterCore}, which write the answer. The read-only endpoints are {@link MasterEndpoints}',
 * the web UI is {@link WebUiRoute} ({@code /}, {@code /static/*}) and the operator API's
 * {@code GET_TASKS} is {@link OperatorApiRoute}.
 */
final class SchedulerApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final Set<String> API_PATHS = Set.of("/api/v1/scheduler", "/master/api/v1/scheduler");

  private final MasterCore core;
  private final ThreadTimers master;
  private final FrameworkAuthenticator authenticator;
  private final WebUiRoute webUi;

  SchedulerApiHandler(MasterCore core, ThreadTimers master, FrameworkAuthenticator authenticator, WebUiRoute webUi) {
    this.core = core;
    this.master = master;
    this.authenticator = authenticator;
    this.webUi = webUi;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    QueryStringDecoder query = new QueryStringDecoder(request.uri());
    String path = query.path();
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (WebUiRoute.handles(path)) {
      webUi.serve(ctx.channel(), request.method(), path, keepAlive);
      return;
    }
    if (OperatorApiRoute.PATHS.contains(path)) {
      OperatorApiRoute.serve(ctx.channel(), request.method(), request.headers().get(HttpHeaderNames.CONTENT_TYPE),
          request.headers().get(HttpHeaderNames.ACCEPT), request.content().toString(StandardCharsets.UTF_8), core, master,
          keepAlive);
      return;
    }
    if (MasterEndpoints.serve(path, query, ctx.channel(), keepAlive, core, master)) {
      return;
    }
    if (!API_PATHS.contains(path)) {
      HttpResponses.write(ctx.channel(), 404, "", Map.of(), keepAlive);
      return;
    }
    FrameworkAuthenticator.Outcome auth = authenticator.authenticate(request.headers().get(HttpHeaderNames.AUTHORIZATION));
    SchedulerGate.Request r = new SchedulerGate.Request(request.method().name(),
        request.headers().get(HttpHeaderNames.CONTENT_TYPE), request.headers().get(HttpHeaderNames.ACCEPT),
        request.headers().get("Mesos-Stream-Id"), auth.principal(), auth.failed(), ByteBufUtil.getBytes(request.content()));
    master.execute(() -> decide(ctx, r, keepAlive));
  }

  /** On the master's thread. */
  private void decide(ChannelHandlerContext ctx, SchedulerGate.Request r, boolean keepAlive) {
    GateResult<Call> result = SchedulerGate.check(r, core);
    if (result instanceof GateResult.Reject<Call> reject) {
      HttpResponses.write(ctx.channel(), reject.status(), reject.body(), reject.headers(), keepAlive);
      return;
    }
    GateResult.Pass<Call> pass = (GateResult.Pass<Call>) result;
    if (pass.streamType() == null) {
      HttpResponses.write(ctx.channel(), 202, "", Map.of(), keepAlive);
      core.handle(pass.call());
      return;
    }
    String streamId = UUID.randomUUID().toString();
    RecordStream stream = new RecordStream(ctx.channel(), pass.streamType(), streamId);
    Optional<String> frameworkId = core.subscribe(pass.call(), new FrameworkStream() {
      @Override
      public void send(Event event) {
        stream.send(event);
      }

      @Override
      public void close() {
        stream.close();
      }
    }, streamId);
    frameworkId.ifPresent(id -> ctx.channel().closeFuture()
        .addListener(f -> master.execute(() -> core.streamClosed(id, streamId))));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
