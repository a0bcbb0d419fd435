package io.ferry.rpc;

import io.ferry.rpc.internal.ClientHandshakeHandler;
import io.ferry.rpc.internal.FrameCodec;
import io.ferry.rpc.internal.LinkErrors;
import io.ferry.rpc.internal.TlsIdentity;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The executor's end of the link.
 *
 * <pre>{@code
 * LaunchRecord record = LaunchRecord.parseFrom(taskInfo.getData());
 * DriverConnection driver = RpcClient.connect(
 *     ClientConfig.fromLaunchRecord(record, executorId, agentId, hostname), listener).get();
 * for (JarDescriptor jar : driver.welcome().getJarsList()) driver.fetchJar(jar, jarDir).get();
 * }</pre>
 *
 * <p>Each connection has its own I/O thread ({@code ferry-rpc-client-io}) and jar writer thread
 * ({@code ferry-rpc-jar-writer}); both end when the connection does.
 */
public final class RpcClient {
  private RpcClient() {}

  /**
   * Connects, authenticates and starts heartbeats. The future fails with {@link RpcConnectException}
   * when the driver cannot be reached and {@link RpcAuthException} when the handshake fails.
   */
  public static CompletableFuture<DriverConnection> connect(ClientConfig config, FrameListener listener) {
    CompletableFuture<DriverConnection> connected = new CompletableFuture<>();
    SslContext tls;
    try {
      tls = config.tlsCertSha256().isPresent()
          ? TlsIdentity.pinnedClientContext(config.tlsCertSha256().get())
          : null;
    } catch (SSLException e) {
      connected.completeExceptionally(new RpcException("cannot set up TLS: " + e.getMessage(), e));
      return connected;
    }
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
        new DefaultThreadFactory("ferry-rpc-client-io", true), NioIoHandler.newFactory());
    ExecutorService jarWriter = Executors.newSingleThreadExecutor(new DefaultThreadFactory("ferry-rpc-jar-writer", true));
    Runnable release = () -> {
      jarWriter.shutdown();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    };
    ChannelFuture connect = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ChannelPipeline p = ch.pipeline();
            if (tls != null) {
              p.addLast("tls", tls.newHandler(ch.alloc(), config.host(), config.port()));
            }
            FrameCodec.addTo(p, config.maxFrameBytes());
            p.addLast("idle", new IdleStateHandler(config.heartbeatTimeout().toMillis(),
                config.heartbeatInterval().toMillis(), 0, TimeUnit.MILLISECONDS));
            p.addLast("handshake", new ClientHandshakeHandler(config, listener, connected, jarWriter, release));
            p.addLast("errors", LinkErrors.executor(config.heartbeatTimeout()));
          }
        })
        .connect(config.host(), config.port());
    connect.addListener(f -> {
      if (!f.isSuccess()) {
        connected.completeExceptionally(new RpcConnectException(
            config.host(), config.port(), describe(f.cause(), config), f.cause()));
        release.run();
      }
    });
    return connected;
  }

  private static String describe(Throwable cause, ClientConfig config) {
    if (cause instanceof ConnectTimeoutException) {
      return "no answer within " + config.connectTimeout().toMillis() + " ms";
    }
    if (cause instanceof UnknownHostException) {
      return "unknown host";
    }
    if (cause instanceof NoRouteToHostException) {
      return "no route to host";
    }
    if (cause instanceof ConnectException) {
      return "connection refused";
    }
    return String.valueOf(cause.getMessage());
  }
}
