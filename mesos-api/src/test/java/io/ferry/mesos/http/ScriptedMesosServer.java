package io.ferry.mesos.http;

import static org.assertj.core.api.Assertions.fail;

import io.ferry.mesos.http.internal.NamedThreadFactory;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 (an ephemeral port) that answers as a scripted Mesos master or
 * agent: requests are routed by path to {@link Responder}s, recorded with their connection,
 * headers and body, and answered with a status, a redirect, or a chunked RecordIO stream the test
 * drives (and may cut). Paths without a route get 404.
 *
 * <pre>{@code
 * try (ScriptedMesosServer server = ScriptedMesosServer.start()) {
 *   server.route("/api/v1/scheduler", Responders.unavailableThen(2, Responders.accepted()));
 *   ...
 *   RecordedRequest request = server.takeRequest();
 * }
 * }</pre>
 */
final class ScriptedMesosServer implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);
  private static final AttributeKey<Integer> CONNECTION = AttributeKey.valueOf("scripted-mesos-connection");

  /** Answers one request; runs on the server's event loop, so it must not block. */
  @FunctionalInterface
  interface Responder {
    void respond(RecordedRequest request, Exchange exchange);
  }

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
      new NamedThreadFactory("scripted-mesos", true), NioIoHandler.newFactory());
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final Map<String, Responder> routes = new ConcurrentHashMap<>();
  private final BlockingQueue<RecordedRequest> unread = new LinkedBlockingQueue<>();
  private final List<RecordedRequest> all = new CopyOnWriteArrayList<>();
  private final BlockingQueue<ServerStream> streams = new LinkedBlockingQueue<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final Map<Integer, CompletableFuture<Void>> closedConnections = new ConcurrentHashMap<>();
  private final Channel server;

  private ScriptedMesosServer() {
    try {
      server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
              int id = connections.incrementAndGet();
              channel.attr(CONNECTION).set(id);
              channels.add(channel);
              channel.closeFuture().addListener(closed -> connectionClosed(id).complete(null));
              channel.pipeline()
                  .addLast(new HttpServerCodec())
                  .addLast(new HttpObjectAggregator(16 * 1024 * 1024))
                  .addLast(new RequestRouter());
            }
          })
          .bind("127.0.0.1", 0).syncUninterruptibly().channel();
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
  }

  static ScriptedMesosServer start() {
    return new ScriptedMesosServer();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** {@code http://127.0.0.1:<port>}, the endpoint a client is configured with. */
  URI uri() {
    return URI.create("http://127.0.0.1:" + port());
  }

  ScriptedMesosServer route(String path, Responder responder) {
    routes.put(path, responder);
    return this;
  }

  /** The next request not yet taken, waiting up to {@link #WAIT}. */
  RecordedRequest takeRequest() throws InterruptedException {
    RecordedRequest request = unread.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (request == null) {
      fail("no request within " + WAIT);
    }
    return request;
  }

  /** Every request so far, in arrival order. */
  List<RecordedRequest> requests() {
    return List.copyOf(all);
  }

  /** The next stream opened by a responder, waiting up to {@link #WAIT}. */
  ServerStream takeStream() throws InterruptedException {
    ServerStream stream = streams.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (stream == null) {
      fail("no stream opened within " + WAIT);
    }
    return stream;
  }

  int connectionCount() {
    return connections.get();
  }

  /** Completes when the numbered connection has closed (either side closing it). */
  CompletableFuture<Void> connectionClosed(int connection) {
    return closedConnections.computeIfAbsent(connection, id -> new CompletableFuture<>());
  }

  @Override
  public void close() {
    server.close().awaitUninterruptibly();
    channels.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  private final class RequestRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      RecordedRequest recorded = new RecordedRequest(ctx.channel().attr(CONNECTION).get(),
          request.method().name(), request.uri(), new DefaultHttpHeaders().set(request.headers()),
          ByteBufUtil.getBytes(request.content()));
      all.add(recorded);
      unread.add(recorded);
      Exchange exchange = new Exchange(ctx.channel(), streams::add);
      Responder responder = routes.get(recorded.path());
      if (responder == null) {
        exchange.reply(404, "no route for " + recorded.path());
      } else {
        responder.respond(recorded, exchange);
      }
    }
  }
}
