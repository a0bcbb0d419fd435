package io.ferry.executor.internal;

import io.ferry.rpc.internal.HandshakeMac;
import io.ferry.rpc.proto.Frame;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * One-time set-up done on two threads of its own while the executor's main thread makes its agent
 * client and subscribes.
 *
 * <p>The first ({@code ferry-executor-warmup}): the Mesos API's protobuf descriptors (building them
 * from their serialized form is static initialisation, which class data sharing does not remove;
 * the SUBSCRIBE call needs them soon, and a thread that needs a class being initialised here waits
 * for it rather than doing the work twice), then the driver link's: the JDK's security providers
 * behind the handshake's {@code SecureRandom} and HmacSHA256, and the link's protobuf descriptors.
 * Why: the link can only be made after the agent's LAUNCH (the driver's address and the one-time
 * token come in {@code TaskInfo.data}), so without this the provider start-up sits between LAUNCH
 * and the first TASK_RUNNING. {@code Mac.getInstance("HmacSHA256")} loads and initialises every
 * provider listed before SunJCE (SUN, SunRsaSign, SunEC, SunJSSE): about 70 ms in a fresh JVM on
 * the 2-core build machine even with the class data sharing archive, which removes parsing but not
 * the providers' static initialisation.
 *
 * <p>The second ({@code ferry-executor-warmup-netty}): what Netty does once per process the first
 * time a channel is made and an HTTP exchange runs, which otherwise sits between the executor's
 * "subscribing" and its SUBSCRIBE leaving (about 100 ms of a warm start, BENCHMARKS.md): the
 * channel id (the machine's id from its network interfaces, the process id), {@code NetUtil}'s
 * loopback and interface probe, the handlers' {@code @Skip} annotation scan (a reflective proxy
 * class), and the HTTP codec's encoder and decoder, run over an in-memory channel with no socket.
 *
 * <p>A failure in either is left to the real work, which does the same and reports it with its
 * context.
 */
public final class StartupWarmUp {
  static final String THREAD = "ferry-executor-warmup";
  static final String NETTY_THREAD = "ferry-executor-warmup-netty";

  private StartupWarmUp() {}

  /** Starts the warm-up on two daemon threads (they never delay the executor's exit); returns them. */
  public static Thread[] start() {
    Thread link = new Thread(StartupWarmUp::run, THREAD);
    Thread netty = new Thread(StartupWarmUp::runNetty, NETTY_THREAD);
    link.setDaemon(true);
    netty.setDaemon(true);
    link.start();
    netty.start();
    return new Thread[] {link, netty};
  }

  static void run() {
    try {
      org.apache.mesos.v1.executor.Protos.getDescriptor();
      byte[] nonce = HandshakeMac.randomBytes(HandshakeMac.NONCE_BYTES);
      HandshakeMac.executorProof(new byte[HandshakeMac.TOKEN_BYTES], "warm-up", nonce, nonce);
      Frame.getDescriptor();
    } catch (RuntimeException | LinkageError e) {
      // Only a head start: the link's own handshake meets the same failure and names it.
    }
  }

  /** Netty's first channel and HTTP exchange, in memory; returns the response's status code (for tests). */
  static int runNetty() {
    EmbeddedChannel channel = null;
    try {
      DefaultChannelId.newInstance();
      NetUtil.isValidIpV4Address(NetUtil.LOCALHOST4.getHostAddress());
      channel = new EmbeddedChannel(new HttpClientCodec(), new HttpObjectAggregator(1 << 16));
      DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
          "/api/v1/executor", Unpooled.wrappedBuffer(new byte[] {0}));
      request.headers().set("Content-Type", "application/x-protobuf").set("Content-Length", 1);
      channel.writeOutbound(request);
      for (Object out; (out = channel.readOutbound()) != null; ) {
        ReferenceCountUtil.release(out);
      }
      channel.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n",
          StandardCharsets.US_ASCII));
      int status = 0;
      for (Object in; (in = channel.readInbound()) != null; ) {
        if (in instanceof io.netty.handler.codec.http.HttpResponse response) {
          status = response.status().code();
        }
        ReferenceCountUtil.release(in);
      }
      return status;
    } catch (RuntimeException | LinkageError e) {
      return -1; // only a head start (see the class comment)
    } finally {
      if (channel != null) {
        channel.finishAndReleaseAll();
      }
    }
  }
}
