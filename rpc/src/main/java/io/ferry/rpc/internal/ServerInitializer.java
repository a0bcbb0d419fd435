package io.ferry.rpc.internal;

import io.ferry.rpc.ServerConfig;
import io.ferry.rpc.ServerHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's pipeline, until the peer authenticates:
 * [TLS] -> framing (4 KiB cap) -> handshake deadline -> handshake -> errors. The handshake then
 * raises the frame cap to {@code maxFrameBytes}, puts the heartbeat's idle handler where the
 * deadline was and its session where it was. A connection beyond {@code maxPendingHandshakes} is
 * closed as soon as it is accepted.
 */
public final class ServerInitializer extends ChannelInitializer<SocketChannel> {
  private static final Logger log = LoggerFactory.getLogger(ServerInitializer.class);

  private final ServerConfig config;
  private final TlsIdentity tls;
  private final TokenRegistry tokens;
  private final JarCatalog jars;
  private final JarSender jarSender;
  private final ServerHandler handler;
  private final ChannelGroup connections;
  private final PendingHandshakes pending;
  private final UnauthenticatedPeerLog peerLog;

  public ServerInitializer(ServerConfig config, TlsIdentity tls, TokenRegistry tokens, JarCatalog jars,
      JarSender jarSender, ServerHandler handler, ChannelGroup connections, UnauthenticatedPeerLog peerLog) {
    this.connections = connections;
    this.config = config;
    this.tls = tls;
    this.tokens = tokens;
    this.jars = jars;
    this.jarSender = jarSender;
    this.handler = handler;
    this.pending = new PendingHandshakes(config.maxPendingHandshakes());
    this.peerLog = peerLog;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    if (!pending.tryEnter(ch)) {
      peerLog.warn(log, "[driver] refused a connection from {}: {} connections are already in the handshake"
          + " (the limit, ferry.rpc.maxPendingHandshakes)", Peers.describe(ch), pending.limit());
      ch.close();
      return;
    }
    connections.add(ch);
    ChannelPipeline p = ch.pipeline();
    if (tls != null) {
      p.addLast("tls", tls.serverContext().newHandler(ch.alloc()));
    }
    FrameCodec.addUnauthenticated(p);
    p.addLast("handshake-deadline", new HandshakeDeadline(config.handshakeTimeout(), peerLog));
    p.addLast("handshake", new ServerHandshakeHandler(config, tokens, jars, jarSender, handler, pending, peerLog));
    p.addLast("errors", LinkErrors.driver(config.heartbeatTimeout(), peerLog));
  }
}
