package io.ferry.mesos.local.e2e;

import io.ferry.mesos.ContentType;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * The test itself acting as an executor over raw HTTP: the agent started a placeholder process for
 * the executor, and the test subscribes in its name, so it can send exactly the calls an edge
 * case needs, malformed ones included.
 */
public final class RawExecutor implements AutoCloseable {

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI endpoint;
  private final FrameworkID framework;
  private final ExecutorID executor;
  public final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  public final List<Event> seen = new CopyOnWriteArrayList<>();
  private InputStream body;

  public RawExecutor(String agentAddress, FrameworkID framework, ExecutorID executor) {
    this.endpoint = URI.create("http://" + agentAddress + "/api/v1/executor");
    this.framework = framework;
    this.executor = executor;
  }

  public Call.Builder callOf(Call.Type type) {
    return Call.newBuilder().setType(type).setFrameworkId(framework).setExecutorId(executor);
  }

  /** SUBSCRIBE; returns the status; on 200 events are read into {@link #events}. */
  public int subscribe(Call.Subscribe subscribe) throws Exception {
    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
        .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(
            ContentType.JSON.encode(callOf(Call.Type.SUBSCRIBE).setSubscribe(subscribe).build()))).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      r.body().close();
      return r.statusCode();
    }
    body = r.body();
    RecordIoReader records = new RecordIoReader(body);
    Thread reader = new Thread(() -> {
      try {
        for (byte[] record; (record = records.next()) != null; ) {
          Event e = ContentType.JSON.decode(record, Event.newBuilder());
          seen.add(e);
          events.add(e);
        }
      } catch (Exception ignored) {
        // The stream ended.
      }
    }, "raw-executor-events");
    reader.setDaemon(true);
    reader.start();
    return 200;
  }

  public HttpResponse<String> call(Call call) throws Exception {
    return http.send(HttpRequest.newBuilder(endpoint).header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(ContentType.PROTOBUF.encode(call))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public Event next(Duration timeout, Predicate<Event> which) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Event e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
      if (e == null) {
        throw new AssertionError("no matching executor event within " + timeout + "; seen: "
            + seen.stream().map(Event::getType).toList());
      }
      if (which.test(e)) {
        return e;
      }
    }
  }

  @Override
  public void close() throws Exception {
    if (body != null) {
      body.close();
    }
  }
}
