package io.ferry.mesos.http.internal;

import io.ferry.mesos.recordio.RecordIoDecoder;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;

/**
 * The pipeline of a SUBSCRIBE connection: HTTP, then the response head's verdict, then RecordIO
 * records, Events, and the hand-off to the listener. An idle handler goes in front once the
 * stream is open.
 */
final class StreamChannelInitializer extends ChannelInitializer<SocketChannel> {
  static final String IDLE_HANDLER = "idle";

  private final StreamSession<?, ?> session;

  StreamChannelInitializer(StreamSession<?, ?> session) {
    this.session = session;
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    ClientContext<?, ?> ctx = session.context();
    channel.pipeline()
        .addLast("http", new HttpClientCodec())
        .addLast("subscribe-response", new SubscribeResponseHandler(session))
        .addLast("recordio", new RecordIoDecoder(ctx.config().maxRecordSize()))
        .addLast("event-decoder", new EventDecoder(ctx.api(), ctx.contentType()))
        .addLast("event-dispatcher", new EventDispatcher<>(session));
  }
}
