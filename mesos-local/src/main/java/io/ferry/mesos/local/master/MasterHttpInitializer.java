package io.ferry.mesos.local.master;

import io.ferry.mesos.local.ThreadTimers;
import io.ferry.mesos.recordio.RecordIoEncoder;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

/** The master's HTTP pipeline: codec, aggregated requests, RecordIO framing of stream records, the API. */
final class MasterHttpInitializer extends ChannelInitializer<SocketChannel> {

  /** Calls are small; an ACCEPT with many tasks stays far below this. */
  static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;

  private final java.util.function.Supplier<MasterCore> core;
  private final ThreadTimers master;
  private final FrameworkAuthenticator authenticator;

  /** {@code core} is asked for at each connection: the core is made once the port is known. */
  MasterHttpInitializer(java.util.function.Supplier<MasterCore> core, ThreadTimers master,
      FrameworkAuthenticator authenticator) {
    this.core = core;
    this.master = master;
    this.authenticator = authenticator;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ch.pipeline()
        .addLast("http", new HttpServerCodec())
        .addLast("aggregate", new HttpObjectAggregator(MAX_REQUEST_BYTES))
        .addLast("recordio", new RecordIoEncoder())
        .addLast("api", new SchedulerApiHandler(core.get(), master, authenticator));
  }
}
