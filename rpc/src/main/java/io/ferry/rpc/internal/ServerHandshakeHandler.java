package io.ferry.rpc.internal;

import com.google.protobuf.ByteString;
import io.ferry.rpc.PeerText;
import io.ferry.rpc.ServerConfig;
import io.ferry.rpc.ServerHandler;
import io.ferry.rpc.proto.Challenge;
import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.Hello;
import io.ferry.rpc.proto.Welcome;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's half of the handshake. Until it completes the peer gets a challenge or a rejection
 * and nothing else: no heartbeat, no jar, no task, no hint whether the executor id exists. The
 * first frame out of order is a violation: one rejection, one (rate-limited) log line, and the
 * rest of the peer's input is dropped. On success it lifts the peer's frame cap, starts the
 * heartbeat and replaces itself with a {@link ServerSessionHandler}.
 */
public final class ServerHandshakeHandler extends SimpleChannelInboundHandler<Frame> {
  /**
   * The link's version; driver and executor must speak the same. 2: snippet classes
   * (ClassesRequest/Classes, RunTask.class_generation) and compact task results
   * ({@code CompactValues}), which a version-1 peer cannot read; an executor archive from another
   * build is refused at the handshake with both versions named, not left to fail on a result.
   */
  public static final int PROTOCOL_VERSION = 2;
  private static final Logger log = LoggerFactory.getLogger(ServerHandshakeHandler.class);

  private final ServerConfig config;
  private final TokenRegistry tokens;
  private final JarCatalog jars;
  private final JarSender jarSender;
  private final ServerHandler handler;
  private final PendingHandshakes pending;
  private final UnauthenticatedPeerLog peerLog;
  private Hello hello;
  private byte[] serverNonce;

  ServerHandshakeHandler(ServerConfig config, TokenRegistry tokens, JarCatalog jars, JarSender jarSender,
      ServerHandler handler, PendingHandshakes pending, UnauthenticatedPeerLog peerLog) {
    this.config = config;
    this.tokens = tokens;
    this.jars = jars;
    this.jarSender = jarSender;
    this.handler = handler;
    this.pending = pending;
    this.peerLog = peerLog;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
    if (LinkState.isDiscarding(ctx.channel())) {
      return;
    }
    if (hello == null && frame.hasHello()) {
      onHello(ctx, frame.getHello());
    } else if (hello != null && frame.hasProof()) {
      onProof(ctx, frame.getProof().getMac().toByteArray());
    } else if (frame.hasHeartbeat()) {
      // An executor heartbeats when it has been quiet for its interval, even while it waits for our
      // challenge: harmless, and the handshake deadline bounds the wait. Not answered.
    } else {
      reject(ctx, "handshake expected", "sent " + Frames.kind(frame) + " before completing the handshake");
    }
  }

  private void onHello(ChannelHandlerContext ctx, Hello received) {
    if (received.getProtocolVersion() != PROTOCOL_VERSION) {
      reject(ctx, "unsupported protocol version " + received.getProtocolVersion() + " (this driver speaks "
          + PROTOCOL_VERSION + ")", "protocol version " + received.getProtocolVersion());
      return;
    }
    String id = received.getExecutorId();
    if (id.isEmpty() || id.length() > 255 || received.getClientNonce().size() != HandshakeMac.NONCE_BYTES) {
      reject(ctx, "malformed hello", "malformed hello (executor id '" + PeerText.escape(id) + "', a nonce of "
          + received.getClientNonce().size() + " bytes)");
      return;
    }
    hello = received;
    serverNonce = HandshakeMac.randomBytes(HandshakeMac.NONCE_BYTES);
    ctx.writeAndFlush(Frame.newBuilder()
        .setChallenge(Challenge.newBuilder().setServerNonce(ByteString.copyFrom(serverNonce)))
        .build());
  }

  private void onProof(ChannelHandlerContext ctx, byte[] mac) {
    String id = hello.getExecutorId();
    byte[] clientNonce = hello.getClientNonce().toByteArray();
    Optional<byte[]> token = tokens.peek(id);
    boolean valid = token.isPresent()
        && HandshakeMac.matches(HandshakeMac.executorProof(token.get(), id, clientNonce, serverNonce), mac)
        && tokens.consume(id, token.get());
    if (!valid) {
      reject(ctx, "authentication failed", "proof for executor '" + PeerText.escape(id)
          + "' does not match an unused token (wrong, replayed or already used)");
      return;
    }
    // From here the peer is an executor this driver launched: full-size frames, heartbeats both ways.
    LinkState.authenticated(ctx.channel(), id);
    pending.leave(ctx.channel());
    FrameCodec.raiseLimit(ctx.pipeline(), config.maxFrameBytes());
    ctx.pipeline().replace("handshake-deadline", "idle", new IdleStateHandler(config.heartbeatTimeout().toMillis(),
        config.heartbeatInterval().toMillis(), 0, TimeUnit.MILLISECONDS));
    ServerSessionHandler session = new ServerSessionHandler(id, ctx.channel(), handler, jarSender);
    ctx.pipeline().replace(this, "session", session);
    ctx.writeAndFlush(Frame.newBuilder()
        .setWelcome(Welcome.newBuilder()
            .setServerProof(ByteString.copyFrom(HandshakeMac.driverProof(token.get(), id, clientNonce, serverNonce)))
            .addAllJars(jars.descriptors()))
        .build());
    log.info("[executor={}] authenticated from {}", id, Peers.describe(ctx.channel()));
    handler.onConnected(session);
  }

  private void reject(ChannelHandlerContext ctx, String toPeer, String logged) {
    peerLog.warn(log, "[driver] rejected a connection from {}: {}", Peers.describe(ctx.channel()), logged);
    LinkState.closeAfterViolation(ctx.channel(), Frames.rejected(toPeer), "rejected: " + logged);
  }
}
