package io.ferry.mesos.http;

import com.google.protobuf.Message;
import io.ferry.mesos.ContentType;
import io.ferry.mesos.http.ScriptedMesosServer.Responder;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Ready-made {@link Responder}s for {@link ScriptedMesosServer}. */
final class Responders {
  private Responders() {}

  /** 202 Accepted, empty body: a queued call. */
  static Responder accepted() {
    return (request, exchange) -> exchange.reply(202, "");
  }

  static Responder status(int status, String body, String... headers) {
    return (request, exchange) -> exchange.reply(status, body, headers);
  }

  /** 307 to {@code location}, e.g. a scheme-less {@code //127.0.0.1:5051/api/v1/scheduler}. */
  static Responder redirect(String location) {
    return (request, exchange) -> exchange.reply(307, "", "Location", location);
  }

  /** 503 for the first {@code times} requests, then {@code then}. */
  static Responder unavailableThen(int times, Responder then) {
    AtomicInteger seen = new AtomicInteger();
    return (request, exchange) -> {
      if (seen.incrementAndGet() <= times) {
        exchange.reply(503, "No leader elected");
      } else {
        then.respond(request, exchange);
      }
    };
  }

  /** Never answers (for request timeouts). */
  static Responder silent() {
    return (request, exchange) -> { };
  }

  /**
   * A 200 stream in the type the request's Accept chose (as Mesos picks it), starting with
   * {@code first}; the test takes the stream from the server to send more.
   */
  static Responder stream(List<? extends Message> first, String... headers) {
    return (request, exchange) -> {
      ContentType type = ContentType.forAccept(request.header("Accept")).orElseThrow();
      ServerStream stream = exchange.openStream(type, headers);
      first.forEach(stream::send);
    };
  }
}
