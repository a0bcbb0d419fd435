package io.ferry.mesos.http.internal;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;

/** The pipeline of the keep-alive connection that carries every call but SUBSCRIBE. */
final class CallChannelInitializer extends ChannelInitializer<SocketChannel> {
  private final CallSequencer sequencer;
  private final int maxBody;

  CallChannelInitializer(CallSequencer sequencer, int maxBody) {
    this.sequencer = sequencer;
    this.maxBody = maxBody;
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    channel.pipeline()
        .addLast("http", new HttpClientCodec())
        .addLast("aggregator", new HttpObjectAggregator(maxBody))
        .addLast("call-response", new CallResponseHandler(sequencer));
  }
}
