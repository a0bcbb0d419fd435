package io.ferry.mesos.local.agent;

import io.ferry.mesos.local.ThreadTimers;
import io.ferry.mesos.local.files.FilesEndpoint;
import io.ferry.mesos.local.http.HttpResponses;
import io.ferry.mesos.local.http.RecordStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Map;
import java.util.Set;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * {@code /api/v1/executor} (also {@code /slave(1)/api/v1/executor}): parses on the event loop,
 * decides on the agent's thread through {@link ExecutorGate} and {@link AgentCore}. The read-only
 * endpoints are {@link AgentEndpoints}'; the agent's {@code /files/*} go to {@link FilesEndpoint}.
 */
public final class ExecutorApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final Set<String> API_PATHS = Set.of("/api/v1/executor", "/slave(1)/api/v1/executor");

  private final AgentCore core;
  private final ThreadTimers agent;
  private final ExecutorGate.View view;
  private final AgentEndpoints endpoints;
  private final FilesEndpoint files;

  ExecutorApiHandler(AgentCore core, ThreadTimers agent, ExecutorGate.View view, AgentEndpoints endpoints,
      FilesEndpoint files) {
    this.core = core;
    this.agent = agent;
    this.view = view;
    this.endpoints = endpoints;
    this.files = files;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    QueryStringDecoder query = new QueryStringDecoder(request.uri());
    String path = QueryStringDecoder.decodeComponent(query.path());
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (FilesEndpoint.serves(path)) {
      files.handle(ctx.channel(), path, request.uri(), keepAlive);
      return;
    }
    if (endpoints.serve(path, query, ctx.channel(), keepAlive)) {
      return;
    }
    if (!API_PATHS.contains(path)) {
      HttpResponses.write(ctx.channel(), 404, "", Map.of(), keepAlive);
      return;
    }
    ExecutorGate.Request r = new ExecutorGate.Request(request.method().name(),
        request.headers().get(HttpHeaderNames.CONTENT_TYPE), request.headers().get(HttpHeaderNames.ACCEPT),
        request.headers().get(HttpHeaderNames.AUTHORIZATION), ByteBufUtil.getBytes(request.content()));
    agent.execute(() -> decide(ctx, r, keepAlive));
  }

  /** On the agent's thread. */
  private void decide(ChannelHandlerContext ctx, ExecutorGate.Request r, boolean keepAlive) {
    ExecutorGate.Result result = ExecutorGate.check(r, view);
    if (result instanceof ExecutorGate.Reject reject) {
      HttpResponses.write(ctx.channel(), reject.status(), reject.body(), Map.of(), keepAlive);
      return;
    }
    ExecutorGate.Pass pass = (ExecutorGate.Pass) result;
    Call call = pass.call();
    switch (call.getType()) {
      case SUBSCRIBE -> {
        RecordStream stream = new RecordStream(ctx.channel(), pass.streamType(), null);
        AgentCore.ExecutorStream executorStream = new AgentCore.ExecutorStream() {
          @Override
          public void send(Event event) {
            stream.send(event);
          }

          @Override
          public void close() {
            stream.close();
          }
        };
        core.subscribe(call, executorStream);
        ctx.channel().closeFuture().addListener(f -> agent.execute(() ->
            core.streamClosed(call.getFrameworkId().getValue(), call.getExecutorId().getValue(), executorStream)));
      }
      case UPDATE -> {
        HttpResponses.write(ctx.channel(), 202, "", Map.of(), keepAlive);
        core.update(call);
      }
      case MESSAGE -> {
        HttpResponses.write(ctx.channel(), 202, "", Map.of(), keepAlive);
        core.executorMessage(call);
      }
      default -> HttpResponses.write(ctx.channel(), 202, "", Map.of(), keepAlive);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
