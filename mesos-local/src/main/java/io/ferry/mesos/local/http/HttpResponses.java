package io.ferry.mesos.local.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Complete (non-streaming) responses, written from any thread. */
public final class HttpResponses {

  private HttpResponses() {}

  /** Writes a response with a plain-text body (empty for 202), closing the connection unless kept alive. */
  public static void write(Channel channel, int status, String body, Map<String, String> headers, boolean keepAlive) {
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    Map<String, String> all = new java.util.LinkedHashMap<>();
    if (bytes.length > 0) {
      all.put(HttpHeaderNames.CONTENT_TYPE.toString(), "text/plain; charset=utf-8");
    }
    all.putAll(headers);
    write(channel, HttpResponseStatus.valueOf(status), bytes, true, all, keepAlive);
  }

  /**
   * Writes {@code body} with {@code headers}; {@code withBody} false answers a HEAD (the length of
   * the body, no bytes). Closes the connection unless kept alive.
   */
  public static void write(Channel channel, HttpResponseStatus status, byte[] body, boolean withBody,
      Map<String, String> headers, boolean keepAlive) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        withBody ? Unpooled.wrappedBuffer(body) : Unpooled.EMPTY_BUFFER);
    headers.forEach((k, v) -> response.headers().set(k, v));
    HttpUtil.setContentLength(response, body.length);
    if (keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      channel.writeAndFlush(response);
    } else {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** A JSON document (the state endpoints). */
  public static void json(Channel channel, String json, boolean keepAlive) {
    write(channel, 200, json, Map.of(HttpHeaderNames.CONTENT_TYPE.toString(), "application/json"), keepAlive);
  }
}
