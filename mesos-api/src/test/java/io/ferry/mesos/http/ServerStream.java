package io.ferry.mesos.http;

import com.google.protobuf.Message;
import io.ferry.mesos.ContentType;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;

/** The server side of an open chunked 200 stream; every method may be called from any thread. */
final class ServerStream {
  private final Channel channel;
  private final ContentType contentType;

  ServerStream(Channel channel, ContentType contentType) {
    this.channel = channel;
    this.contentType = contentType;
  }

  ContentType contentType() {
    return contentType;
  }

  /** One RecordIO record holding the event, in the stream's content type, as one chunk. */
  ServerStream send(Message event) {
    return sendRaw(frame(contentType.encode(event)));
  }

  /** Bytes as they are, as one chunk: for split records and malformed framing. */
  ServerStream sendRaw(byte[] bytes) {
    write(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes)));
    return this;
  }

  ServerStream sendRaw(String text) {
    return sendRaw(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** The last chunk: a clean end of the stream. */
  void end() {
    write(LastHttpContent.EMPTY_LAST_CONTENT);
  }

  /** Closes the connection without ending the chunked body. */
  void cut() {
    ChannelFuture closed = channel.close();
    if (!channel.eventLoop().inEventLoop()) {
      closed.awaitUninterruptibly();
    }
  }

  /** Resets the connection (RST instead of FIN). */
  void reset() {
    channel.config().setOption(ChannelOption.SO_LINGER, 0);
    ChannelFuture closed = channel.close();
    if (!channel.eventLoop().inEventLoop()) {
      closed.awaitUninterruptibly();
    }
  }

  /** Waits for the write unless on the server's own loop, where waiting would deadlock. */
  private void write(Object message) {
    ChannelFuture written = channel.writeAndFlush(message);
    if (!channel.eventLoop().inEventLoop()) {
      written.awaitUninterruptibly();
    }
  }

  boolean isOpen() {
    return channel.isActive();
  }

  static byte[] frame(byte[] record) {
    byte[] length = (record.length + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] framed = new byte[length.length + record.length];
    System.arraycopy(length, 0, framed, 0, length.length);
    System.arraycopy(record, 0, framed, length.length, record.length);
    return framed;
  }
}
