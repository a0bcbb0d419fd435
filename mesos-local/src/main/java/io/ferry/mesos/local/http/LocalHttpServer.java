package io.ferry.mesos.local.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A Netty HTTP server on a loopback port, for the master's or an agent's API. Closing it closes
 * every connection it accepted, as the end of a server process does: a client's kept-alive
 * connection must fail, not hang (an agent restart reopens the same port).
 */
public final class LocalHttpServer implements AutoCloseable {

  private final EventLoopGroup group;
  private final Channel channel;
  private final ChannelGroup connections;

  private LocalHttpServer(EventLoopGroup group, Channel channel, ChannelGroup connections) {
    this.group = group;
    this.channel = channel;
    this.connections = connections;
  }

  /** Binds {@code 127.0.0.1:port} (0 for any free port); threads are named {@code <threadName>-N}. */
  public static LocalHttpServer start(String threadName, int port, ChannelInitializer<SocketChannel> initializer)
      throws InterruptedException {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(threadName, true),
        NioIoHandler.newFactory());
    ChannelGroup connections = new DefaultChannelGroup(threadName + "-connections", GlobalEventExecutor.INSTANCE);
    try {
      Channel channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              connections.add(ch); // removed again when it closes
              ch.pipeline().addLast(initializer);
            }
          }).bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
      return new LocalHttpServer(group, channel, connections);
    } catch (Exception e) { // also the BindException that Netty's sync() rethrows undeclared
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
  }

  /**
   * Binds the port a closed server had, as a restarting agent does. mesos-local's ports come from
   * the kernel's ephemeral range (port 0 at first start), so in the moment the port is free another
   * process's outgoing connection may be given it as its local port; such connections are usually
   * short, so binding is retried until {@code patience} runs out, then the bind error is thrown.
   */
  public static LocalHttpServer rebind(String threadName, int port, ChannelInitializer<SocketChannel> initializer,
      java.time.Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      try {
        return start(threadName, port, initializer);
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) { // Netty's sync() rethrows the BindException without declaring it
        if (!isBindError(e) || System.nanoTime() > deadline) {
          throw new IllegalStateException("could not bind 127.0.0.1:" + port + " again within " + patience
              + ": " + e.getMessage(), e);
        }
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  private static boolean isBindError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException) {
        return true;
      }
    }
    return false;
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
