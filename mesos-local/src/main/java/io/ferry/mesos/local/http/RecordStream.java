package io.ferry.mesos.local.http;

import com.google.protobuf.Message;
import io.ferry.mesos.ContentType;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A 200 streaming response of RecordIO records: the head is written at once (chunked, with the
 * stream's content type and any stream id), then each message as one record (the pipeline's
 * {@code RecordIoEncoder} frames it). Thread-safe; sends after {@link #close} are dropped.
 */
public final class RecordStream {

  private final Channel channel;
  private final ContentType type;
  private final AtomicBoolean closed = new AtomicBoolean();

  public RecordStream(Channel channel, ContentType type, String streamId) {
    this.channel = channel;
    this.type = type;
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, type.mediaType());
    head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    // The connection ends with the stream: a client must not pool it for another request.
    head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    if (streamId != null) {
      head.headers().set("Mesos-Stream-Id", streamId);
    }
    channel.writeAndFlush(head);
  }

  public void send(Message message) {
    if (!closed.get() && channel.isActive()) {
      channel.writeAndFlush(Unpooled.wrappedBuffer(type.encode(message)));
    }
  }

  /** Ends the response and closes the connection, as Mesos does. */
  public void close() {
    if (closed.compareAndSet(false, true)) {
      channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
    }
  }

  public Channel channel() {
    return channel;
  }
}
