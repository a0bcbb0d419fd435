package io.ferry.rpc.internal;

import io.ferry.rpc.ServerConfig;
import io.ferry.rpc.ServerHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The driver's pipeline: [TLS] -> framing -> idle detection -> handshake (then session) -> errors.
 */
public final class ServerInitializer extends ChannelInitializer<SocketChannel> {
  private final ServerConfig config;
  private final TlsIdentity tls;
  private final TokenRegistry tokens;
  private final JarCatalog jars;
  private final JarSender jarSender;
  private final ServerHandler handler;
  private final ChannelGroup connections;

  public ServerInitializer(ServerConfig config, TlsIdentity tls, TokenRegistry tokens, JarCatalog jars,
      JarSender jarSender, ServerHandler handler, ChannelGroup connections) {
    this.connections = connections;
    this.config = config;
    this.tls = tls;
    this.tokens = tokens;
    this.jars = jars;
    this.jarSender = jarSender;
    this.handler = handler;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    connections.add(ch);
    ChannelPipeline p = ch.pipeline();
    if (tls != null) {
      p.addLast("tls", tls.serverContext().newHandler(ch.alloc()));
    }
    FrameCodec.addTo(p, config.maxFrameBytes());
    p.addLast("idle", new IdleStateHandler(config.heartbeatTimeout().toMillis(),
        config.heartbeatInterval().toMillis(), 0, TimeUnit.MILLISECONDS));
    p.addLast("handshake", new ServerHandshakeHandler(tokens, jars, jarSender, handler));
    p.addLast("errors", new LinkErrors("driver", config.heartbeatTimeout()));
  }
}
