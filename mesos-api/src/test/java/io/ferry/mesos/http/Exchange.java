package io.ferry.mesos.http;

import io.ferry.mesos.ContentType;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** How a {@link ScriptedMesosServer.Responder} answers one request. Any thread may answer. */
final class Exchange {
  private final Channel channel;
  private final Consumer<ServerStream> onStream;

  Exchange(Channel channel, Consumer<ServerStream> onStream) {
    this.channel = channel;
    this.onStream = onStream;
  }

  /** A complete response with a text body and {@code name, value} header pairs. */
  void reply(int status, String body, String... headers) {
    channel.writeAndFlush(response(status, body, headers));
  }

  /** Like {@link #reply}, then closes the connection (as a server going away would). */
  void replyAndClose(int status, String body, String... headers) {
    FullHttpResponse response = response(status, body, headers);
    response.headers().set(HttpHeaderNames.CONNECTION, "close");
    channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  /** A 200 chunked stream in {@code type}; the stream is also offered to the server's queue. */
  ServerStream openStream(ContentType type, String... headers) {
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, type.mediaType());
    addHeaders(head, headers);
    HttpUtil.setTransferEncodingChunked(head, true);
    channel.writeAndFlush(head);
    ServerStream stream = new ServerStream(channel, type);
    onStream.accept(stream);
    return stream;
  }

  /** Closes the connection without any answer. */
  void drop() {
    channel.close();
  }

  private static FullHttpResponse response(int status, String body, String... headers) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(status), Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    if (!body.isEmpty()) {
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    }
    addHeaders(response, headers);
    HttpUtil.setContentLength(response, response.content().readableBytes());
    return response;
  }

  private static void addHeaders(HttpResponse response, String... headers) {
    if (headers.length % 2 != 0) {
      throw new IllegalArgumentException("headers come in name, value pairs");
    }
    for (int i = 0; i < headers.length; i += 2) {
      response.headers().add(headers[i], headers[i + 1]);
    }
  }
}
