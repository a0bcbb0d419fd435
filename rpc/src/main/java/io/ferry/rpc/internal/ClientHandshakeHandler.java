package io.ferry.rpc.internal;

import com.google.protobuf.ByteString;
import io.ferry.rpc.ClientConfig;
import io.ferry.rpc.DriverConnection;
import io.ferry.rpc.FrameListener;
import io.ferry.rpc.RpcAuthException;
import io.ferry.rpc.PeerText;
import io.ferry.rpc.RpcException;
import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.Hello;
import io.ferry.rpc.proto.Proof;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * The executor's half of the handshake: Hello, answer the challenge, check the driver's own proof
 * in its Welcome. On success it replaces itself with a {@link ClientSessionHandler} and completes
 * the connect future; on any failure the future fails with the reason.
 */
public final class ClientHandshakeHandler extends SimpleChannelInboundHandler<Frame> {
  private final ClientConfig config;
  private final FrameListener listener;
  private final CompletableFuture<DriverConnection> connected;
  private final ExecutorService jarWriter;
  private final Runnable onClosed;
  private final byte[] clientNonce = HandshakeMac.randomBytes(HandshakeMac.NONCE_BYTES);
  private byte[] serverNonce;

  public ClientHandshakeHandler(ClientConfig config, FrameListener listener,
      CompletableFuture<DriverConnection> connected, ExecutorService jarWriter, Runnable onClosed) {
    this.config = config;
    this.listener = listener;
    this.connected = connected;
    this.jarWriter = jarWriter;
    this.onClosed = onClosed;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    ctx.writeAndFlush(Frame.newBuilder()
        .setHello(Hello.newBuilder()
            .setProtocolVersion(ServerHandshakeHandler.PROTOCOL_VERSION)
            .setExecutorId(config.executorId())
            .setAgentId(config.agentId())
            .setHostname(config.hostname())
            .setClientNonce(ByteString.copyFrom(clientNonce)))
        .build());
    super.channelActive(ctx);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
    if (frame.hasChallenge() && serverNonce == null) {
      serverNonce = frame.getChallenge().getServerNonce().toByteArray();
      byte[] token = config.token();
      ctx.writeAndFlush(Frame.newBuilder()
          .setProof(Proof.newBuilder().setMac(ByteString.copyFrom(
              HandshakeMac.executorProof(token, config.executorId(), clientNonce, serverNonce))))
          .build());
    } else if (frame.hasWelcome() && serverNonce != null) {
      byte[] expected = HandshakeMac.driverProof(config.token(), config.executorId(), clientNonce, serverNonce);
      if (!HandshakeMac.matches(expected, frame.getWelcome().getServerProof().toByteArray())) {
        fail(ctx, new RpcAuthException("the peer at " + endpoint()
            + " answered the handshake without knowing our token: it is not the driver that launched this executor"));
        return;
      }
      ClientSessionHandler session = new ClientSessionHandler(
          ctx.channel(), endpoint(), frame.getWelcome(), listener, new JarReceiver(ctx.channel(), jarWriter), onClosed);
      ctx.pipeline().replace(this, "session", session);
      connected.complete(session);
    } else if (frame.hasRejected()) {
      fail(ctx, new RpcAuthException("the driver at " + endpoint() + " rejected this executor: "
          + PeerText.escape(frame.getRejected().getReason()) + " (a token is good for one connection; was this executor launched by"
          + " that driver?)"));
    } else {
      fail(ctx, new RpcAuthException("the peer at " + endpoint() + " sent " + Frames.kind(frame)
          + " during the handshake: it does not speak Ferry's protocol"));
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    String reason = LinkState.reason(ctx.channel(), "the driver at " + endpoint());
    connected.completeExceptionally(new RpcException("the connection to the driver at " + endpoint()
        + " ended during the handshake: " + reason));
    onClosed.run();
    super.channelInactive(ctx);
  }

  private void fail(ChannelHandlerContext ctx, RpcException e) {
    LinkState.recordReason(ctx.channel(), e.getMessage());
    connected.completeExceptionally(e);
    ctx.close();
  }

  private String endpoint() {
    return config.host() + ":" + config.port();
  }
}
