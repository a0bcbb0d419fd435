package io.ferry.mesos.http.internal;

import io.ferry.mesos.ContentType;
import io.ferry.mesos.http.MesosAuthorization;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the POST for a call, by the wire rules of Mesos's v1 APIs. */
final class RequestFactory {
  static final String STREAM_ID_HEADER = "Mesos-Stream-Id";
  private static final Logger log = LoggerFactory.getLogger(RequestFactory.class);

  private final ContentType contentType;
  private final MesosAuthorization authorization;
  private final Supplier<String> streamId;

  /**
   * @param streamId the current stream id, or null; only non-SUBSCRIBE calls of an API with
   *     stream ids ask for it
   */
  RequestFactory(ContentType contentType, MesosAuthorization authorization, Supplier<String> streamId) {
    this.contentType = contentType;
    this.authorization = authorization;
    this.streamId = streamId;
  }

  FullHttpRequest build(HttpTarget target, String callType, byte[] body, boolean subscribe) {
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
        target.requestTarget(), Unpooled.wrappedBuffer(body));
    request.headers()
        .set(HttpHeaderNames.HOST, target.hostHeader())
        .set(HttpHeaderNames.CONTENT_TYPE, contentType.mediaType())
        .set(HttpHeaderNames.ACCEPT, contentType.mediaType())
        .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    // Mesos answers 400 to a SUBSCRIBE that carries a stream id, even a stale one.
    String id = subscribe ? null : streamId.get();
    if (id != null) {
      request.headers().set(STREAM_ID_HEADER, id);
    }
    if (log.isTraceEnabled()) {
      // Logged before the Authorization header is added, so the secret never reaches a log.
      log.trace("-> POST {} {} headers={} body={}", target, callType, headers(request), describe(body));
    }
    authorization.header().ifPresent(value -> request.headers().set(HttpHeaderNames.AUTHORIZATION, value));
    return request;
  }

  private static String headers(FullHttpRequest request) {
    StringJoiner joined = new StringJoiner(", ", "{", "}");
    for (Map.Entry<String, String> header : request.headers()) {
      joined.add(header.getKey() + ": " + header.getValue());
    }
    return joined.toString();
  }

  private String describe(byte[] body) {
    return contentType == ContentType.JSON ? Failures.bodyPrefix(body) : body.length + " protobuf bytes";
  }
}
