package io.ferry.mesos.http;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.ferry.mesos.ContentType;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.UncheckedIOException;

/**
 * A request as {@link ScriptedMesosServer} received it.
 *
 * @param connection which accepted connection carried it (1, 2, ... per server)
 * @param headers a copy of the request headers
 */
record RecordedRequest(int connection, String method, String uri, HttpHeaders headers, byte[] body) {

  String header(String name) {
    return headers.get(name);
  }

  String path() {
    int query = uri.indexOf('?');
    return query < 0 ? uri : uri.substring(0, query);
  }

  /** The body decoded in the request's own Content-Type. */
  <M extends Message> M decode(Message.Builder builder) {
    ContentType type = ContentType.ofHeader(header("Content-Type"))
        .orElseThrow(() -> new AssertionError("bad Content-Type " + header("Content-Type")));
    try {
      return type.decode(body, builder);
    } catch (InvalidProtocolBufferException e) {
      throw new UncheckedIOException(e);
    }
  }

  org.apache.mesos.v1.scheduler.Protos.Call schedulerCall() {
    return decode(org.apache.mesos.v1.scheduler.Protos.Call.newBuilder());
  }

  org.apache.mesos.v1.executor.Protos.Call executorCall() {
    return decode(org.apache.mesos.v1.executor.Protos.Call.newBuilder());
  }

  @Override
  public String toString() {
    return method + " " + uri + " on connection " + connection;
  }
}
