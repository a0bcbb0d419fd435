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
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * A scheduler speaking raw HTTP to a master, for conformance tests: SUBSCRIBE on one connection
 * (events read on a thread of its own into a queue), every other call posted with the stream id.
 */
public final class RawScheduler implements AutoCloseable {

  public final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  public final URI endpoint;
  public final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  public final List<Event> seen = new CopyOnWriteArrayList<>();
  public String streamId;
  /** An {@code Authorization} header for every request, or null. */
  public String authorization;
  public FrameworkID frameworkId;
  private InputStream body;
  private Thread reader;

  public RawScheduler(String masterUrl) {
    this.endpoint = URI.create(masterUrl + "/api/v1/scheduler");
  }

  /** SUBSCRIBE; returns the HTTP status (200 on success, when the stream starts). */
  public int subscribe(FrameworkInfo info, ContentType accept) throws Exception {
    Call.Builder call = Call.newBuilder().setType(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info));
    if (info.hasId()) {
      call.setFrameworkId(info.getId());
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
        .header("Accept", accept.mediaType()).POST(HttpRequest.BodyPublishers.ofByteArray(ContentType.JSON.encode(call.build())));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<InputStream> r = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      r.body().close();
      return r.statusCode();
    }
    streamId = r.headers().firstValue("Mesos-Stream-Id").orElseThrow();
    body = r.body();
    RecordIoReader records = new RecordIoReader(body);
    reader = new Thread(() -> {
      try {
        for (byte[] record; (record = records.next()) != null; ) {
          Event e = accept.decode(record, Event.newBuilder());
          seen.add(e);
          events.add(e);
        }
      } catch (Exception ignored) {
        // The stream ended: the test sees no more events.
      }
    }, "raw-scheduler-events");
    reader.setDaemon(true);
    reader.start();
    Event subscribed = next(Duration.ofSeconds(10), e -> e.getType() == Event.Type.SUBSCRIBED || e.getType() == Event.Type.ERROR);
    if (subscribed.getType() == Event.Type.SUBSCRIBED) {
      frameworkId = subscribed.getSubscribed().getFrameworkId();
    }
    return 200;
  }

  /** The next event that matches, skipping others; fails after {@code timeout}. */
  public Event next(Duration timeout, Predicate<Event> which) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Event e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
      if (e == null) {
        throw new AssertionError("no matching event within " + timeout + "; seen: " + seen.stream().map(Event::getType).toList());
      }
      if (which.test(e)) {
        return e;
      }
    }
  }

  /** Posts a call with the current stream id; returns the status and body. */
  /** Posts a call without waiting for the answer (the benchmark's pipelined ACKs). */
  public java.util.concurrent.CompletableFuture<HttpResponse<String>> callAsync(Call call) {
    HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(ContentType.PROTOBUF.encode(call)));
    if (streamId != null) {
      b.header("Mesos-Stream-Id", streamId);
    }
    return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> call(Call call) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(ContentType.PROTOBUF.encode(call)));
    if (streamId != null) {
      b.header("Mesos-Stream-Id", streamId);
    }
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public Call.Builder callOf(Call.Type type) {
    return Call.newBuilder().setType(type).setFrameworkId(frameworkId);
  }

  /** Drops the connection without TEARDOWN, as a crashed scheduler would. */
  @Override
  public void close() throws Exception {
    if (body != null) {
      body.close();
    }
  }
}
