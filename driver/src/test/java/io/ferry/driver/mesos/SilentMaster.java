package io.ferry.driver.mesos;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * A scripted master whose streams fall silent: each SUBSCRIBE gets 200, one SUBSCRIBED record
 * promising heartbeats every 100 ms, and then nothing, with the connection left open. Other calls
 * get 202. It records every call it received.
 */
final class SilentMaster implements AutoCloseable {

  static final FrameworkID ID = FrameworkID.newBuilder().setValue("silent-0000").build();

  final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<HttpExchange> open = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  SilentMaster() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v1/scheduler", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    Call call = Call.parseFrom(exchange.getRequestBody().readAllBytes());
    calls.add(call);
    if (call.getType() != Call.Type.SUBSCRIBE) {
      exchange.sendResponseHeaders(202, -1);
      exchange.close();
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
    exchange.getResponseHeaders().set("Mesos-Stream-Id", "stream-" + calls.size());
    exchange.sendResponseHeaders(200, 0);
    byte[] event = Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
        .setFrameworkId(ID).setHeartbeatIntervalSeconds(0.1)).build().toByteArray();
    OutputStream body = exchange.getResponseBody();
    body.write((event.length + "\n").getBytes(StandardCharsets.US_ASCII));
    body.write(event);
    body.flush();
    open.add(exchange); // and then silence
  }

  long subscribes() {
    return calls.stream().filter(c -> c.getType() == Call.Type.SUBSCRIBE).count();
  }

  @Override
  public void close() {
    open.forEach(HttpExchange::close);
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
