package io.ferry.mesos.local.http;

import io.ferry.mesos.recordio.RecordIoEncoder;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.util.function.Supplier;

/**
 * The pipeline of a v1 API server (master or agent): HTTP codec, requests aggregated up to a
 * bound, RecordIO framing of the records a stream writes, then the API's handler (a new one per
 * connection).
 */
public final class ApiHttpInitializer extends ChannelInitializer<SocketChannel> {

  private final int maxRequestBytes;
  private final Supplier<ChannelHandler> api;

  public ApiHttpInitializer(int maxRequestBytes, Supplier<ChannelHandler> api) {
    if (maxRequestBytes <= 0) {
      throw new IllegalArgumentException("maxRequestBytes: " + maxRequestBytes + " (expected: > 0)");
    }
    this.maxRequestBytes = maxRequestBytes;
    this.api = api;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ch.pipeline()
        .addLast("http", new HttpServerCodec())
        .addLast("aggregate", new HttpObjectAggregator(maxRequestBytes))
        .addLast("recordio", new RecordIoEncoder())
        .addLast("api", api.get());
  }
}
