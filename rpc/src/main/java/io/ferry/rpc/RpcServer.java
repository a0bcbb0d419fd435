package io.ferry.rpc;

import com.google.protobuf.ByteString;
import io.ferry.rpc.internal.Frames;
import io.ferry.rpc.internal.JarCatalog;
import io.ferry.rpc.internal.LinkState;
import io.ferry.rpc.internal.JarSender;
import io.ferry.rpc.internal.ServerInitializer;
import io.ferry.rpc.internal.TlsIdentity;
import io.ferry.rpc.internal.TokenRegistry;
import io.ferry.rpc.internal.UnauthenticatedPeerLog;
import io.ferry.rpc.proto.LaunchRecord;
import io.ferry.rpc.proto.Mode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The driver's end of the link: one port that carries the handshake, tasks, results and jar
 * downloads for every executor of one application.
 *
 * <pre>{@code
 * RpcServer server = RpcServer.start(ServerConfig.loopback().withJars(appJars), handler);
 * LaunchRecord record = server.launchRecord("executor-1", Mode.FINE, "driver.example.com", appId).build();
 * // put record.toByteString() in TaskInfo.data; the executor connects and proves the token
 * }</pre>
 *
 * <p>Threads: {@code ferry-rpc-accept} (1), {@code ferry-rpc-io} (2), {@code ferry-rpc-jars} (jar
 * file reads). Handler callbacks run on {@code ferry-rpc-io} threads. See rpc/THREADING.md.
 */
public final class RpcServer implements AutoCloseable {
  /** Lifecycle: RUNNING after {@link #start}, CLOSED after {@link #close()}; it never goes back. */
  public enum State { RUNNING, CLOSED }

  private final ServerConfig config;
  private final EventLoopGroup acceptGroup;
  private final EventLoopGroup ioGroup;
  private final ExecutorService jarIo;
  private final Channel serverChannel;
  private final TokenRegistry tokens;
  private final TlsIdentity tls;
  private final ChannelGroup connections;
  private final UnauthenticatedPeerLog peerLog;
  private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);

  private RpcServer(ServerConfig config, EventLoopGroup acceptGroup, EventLoopGroup ioGroup, ExecutorService jarIo,
      Channel serverChannel, TokenRegistry tokens, TlsIdentity tls, ChannelGroup connections,
      UnauthenticatedPeerLog peerLog) {
    this.connections = connections;
    this.peerLog = peerLog;
    this.config = config;
    this.acceptGroup = acceptGroup;
    this.ioGroup = ioGroup;
    this.jarIo = jarIo;
    this.serverChannel = serverChannel;
    this.tokens = tokens;
    this.tls = tls;
  }

  /**
   * Checksums the jars, makes the TLS identity if asked, and listens.
   *
   * @throws RpcException naming the jar or the address when that fails
   */
  public static RpcServer start(ServerConfig config, ServerHandler handler) throws RpcException {
    JarCatalog jars;
    try {
      jars = JarCatalog.of(config.jars());
    } catch (IOException e) {
      throw new RpcException(e.getMessage(), e);
    }
    TlsIdentity tls = null;
    if (config.tls()) {
      try {
        tls = TlsIdentity.generate();
      } catch (GeneralSecurityException | IOException e) {
        throw new RpcException("cannot create the driver's TLS identity: " + e.getMessage(), e);
      }
    }
    TokenRegistry tokens = new TokenRegistry();
    UnauthenticatedPeerLog peerLog = new UnauthenticatedPeerLog();
    ChannelGroup connections = new DefaultChannelGroup("ferry-rpc-connections", GlobalEventExecutor.INSTANCE);
    EventLoopGroup accept = new MultiThreadIoEventLoopGroup(1,
        new DefaultThreadFactory("ferry-rpc-accept", true), NioIoHandler.newFactory());
    EventLoopGroup io = new MultiThreadIoEventLoopGroup(2,
        new DefaultThreadFactory("ferry-rpc-io", true), NioIoHandler.newFactory());
    ExecutorService jarIo = Executors.newFixedThreadPool(2, new DefaultThreadFactory("ferry-rpc-jars", true));
    try {
      Channel channel = new ServerBootstrap()
          .group(accept, io)
          .channel(NioServerSocketChannel.class)
          .option(ChannelOption.SO_REUSEADDR, true)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new ServerInitializer(config, tls, tokens, jars, new JarSender(jars, jarIo), handler, connections,
              peerLog))
          .bind(config.bindAddress(), config.port())
          .syncUninterruptibly()
          .channel();
      // The count of unauthenticated peers left out of the log is reported when its window ends,
      // even if no further peer comes along to trigger it.
      long window = UnauthenticatedPeerLog.WINDOW.toMillis();
      accept.next().scheduleAtFixedRate(peerLog::flush, window, window, TimeUnit.MILLISECONDS);
      return new RpcServer(config, accept, io, jarIo, channel, tokens, tls, connections, peerLog);
    } catch (RuntimeException e) {
      accept.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      io.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      jarIo.shutdownNow();
      throw new RpcException("cannot listen on " + config.bindAddress() + ":" + config.port() + " (ferry.driver.bindAddress"
          + " / ferry.driver.port): " + e.getMessage(), e);
    }
  }

  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  public ServerConfig config() {
    return config;
  }

  /** A fresh one-time token for the executor with this id; an earlier unused one stops working. */
  public byte[] issueToken(String executorId) {
    return tokens.issue(executorId);
  }

  /** Forgets the executor's unused token (its launch failed or was abandoned). */
  public void revokeToken(String executorId) {
    tokens.revoke(executorId);
  }

  /** The SHA-256 of the TLS certificate, when TLS is on. */
  public Optional<byte[]> tlsCertSha256() {
    return Optional.ofNullable(tls).map(TlsIdentity::certSha256);
  }

  /**
   * A launch record for a new executor: issues its token and fills in the endpoint, the TLS pin
   * and the link's timings. The caller may add to it before putting it in {@code TaskInfo.data}.
   */
  public LaunchRecord.Builder launchRecord(String executorId, Mode mode, String advertisedHost, String appId) {
    LaunchRecord.Builder record = LaunchRecord.newBuilder()
        .setFormatVersion(1)
        .setDriverHost(advertisedHost)
        .setDriverPort(port())
        .setToken(ByteString.copyFrom(issueToken(executorId)))
        .setMode(mode)
        .setAppId(appId)
        .setHeartbeatIntervalMs((int) config.heartbeatInterval().toMillis())
        .setHeartbeatTimeoutMs((int) config.heartbeatTimeout().toMillis())
        .setMaxFrameBytes(config.maxFrameBytes());
    tlsCertSha256().ifPresent(fp -> record.setTlsCertSha256(ByteString.copyFrom(fp)));
    return record;
  }

  public State state() {
    return state.get();
  }

  /** Stops listening and closes every connection. Idempotent. */
  @Override
  public void close() {
    if (!state.compareAndSet(State.RUNNING, State.CLOSED)) {
      return;
    }
    serverChannel.close().syncUninterruptibly();
    for (Channel connection : connections) {
      LinkState.closeAfter(connection, Frames.goodbye("the driver is shutting down"), "the driver is shutting down");
    }
    connections.newCloseFuture().awaitUninterruptibly(2, TimeUnit.SECONDS);
    acceptGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    ioGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    jarIo.shutdownNow();
    peerLog.flushAll();
  }
}
