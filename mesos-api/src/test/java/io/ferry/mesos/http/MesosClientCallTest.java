package io.ferry.mesos.http;

import static io.ferry.mesos.http.TestMessages.messageData;
import static io.ferry.mesos.http.TestMessages.schedulerMessage;
import static io.ferry.mesos.http.TestMessages.schedulerSubscribe;
import static io.ferry.mesos.http.TestMessages.schedulerSubscribed;
import static io.ferry.mesos.http.TestMessages.schedulerTeardown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.mesos.ContentType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MesosClientCallTest extends ClientTestSupport {

  /** Answers calls a little later, counting how many were ever outstanding at once. */
  private static final class SlowAcceptor implements ScriptedMesosServer.Responder {
    final AtomicInteger outstanding = new AtomicInteger();
    final AtomicInteger maxOutstanding = new AtomicInteger();

    @Override
    public void respond(RecordedRequest request, Exchange exchange) {
      if (request.schedulerCall().getType() == Call.Type.SUBSCRIBE) {
        exchange.openStream(ContentType.forAccept(request.header("Accept")).orElseThrow(), "Mesos-Stream-Id", "s-1").send(schedulerSubscribed());
        return;
      }
      maxOutstanding.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
      // The delay gives a client that pipelines or parallelises a chance to show it.
      CompletableFuture.delayedExecutor(2, TimeUnit.MILLISECONDS).execute(() -> {
        outstanding.decrementAndGet();
        exchange.reply(202, "");
      });
    }
  }

  @Test
  void callsGoOneAtATimeInSubmissionOrderOnTheirOwnConnection() throws Exception {
    SlowAcceptor acceptor = new SlowAcceptor();
    ScriptedMesosServer master = server().route("/api/v1/scheduler", acceptor);
    MesosClient<Call, Event> client = scheduler(master, ContentType.JSON);
    await(client.subscribe(schedulerSubscribe(), new RecordingListener<>()));
    RecordedRequest subscribe = master.takeRequest();

    int threads = 4;
    int perThread = 10;
    List<String> submitted = new ArrayList<>();
    List<CompletableFuture<MesosResponse>> futures = new ArrayList<>();
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService submitters = Executors.newFixedThreadPool(threads);
    try {
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(CompletableFuture.runAsync(() -> {
          try {
            start.await(10, TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          for (int i = 0; i < perThread; i++) {
            String data = "t" + thread + "-" + i;
            // Submission order is the order call() was entered; record it atomically with it.
            synchronized (submitted) {
              submitted.add(data);
              futures.add(client.call(schedulerMessage(data)));
            }
          }
        }, submitters));
      }
      await(CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)));
    } finally {
      submitters.shutdownNow();
    }
    for (CompletableFuture<MesosResponse> future : futures) {
      assertThat(await(future).status()).isEqualTo(202);
    }

    List<RecordedRequest> calls = new ArrayList<>();
    for (int i = 0; i < threads * perThread; i++) {
      calls.add(master.takeRequest());
    }
    assertThat(calls).extracting(TestMessages::messageData).containsExactlyElementsOf(submitted);
    assertThat(calls).extracting(RecordedRequest::connection).containsOnly(calls.get(0).connection())
        .doesNotContain(subscribe.connection());
    assertThat(calls).allSatisfy(call -> assertThat(call.header("Mesos-Stream-Id")).isEqualTo("s-1"));
    assertThat(acceptor.maxOutstanding).hasValue(1);
  }

  @Test
  void badRequestFailsWithTheBodyTextAndIsNotRetried() throws Exception {
    ScriptedMesosServer master = server().route("/api/v1/scheduler",
        Responders.status(400, "Framework has been removed"));
    MesosClient<Call, Event> client = scheduler(master, ContentType.PROTOBUF);

    Throwable failure = failure(client.call(schedulerTeardown()));
    assertThat(failure).isInstanceOf(MesosClientException.class).hasMessage("TEARDOWN to " + master.uri()
        + "/api/v1/scheduler failed: 400 Bad Request: Framework has been removed");
    MesosClientException error = (MesosClientException) failure;
    assertThat(error.status()).isEqualTo(400);
    assertThat(error.body()).isEqualTo("Framework has been removed");
    assertThat(error.callType()).isEqualTo("TEARDOWN");
    assertThat(error.url()).isEqualTo(client.endpoint());
    assertThat(master.requests()).hasSize(1);
  }

  @Test
  void serverErrorsOtherThan503AreNotRetried() throws Exception {
    ScriptedMesosServer master = server().route("/api/v1/scheduler", Responders.status(500, "boom"));
    MesosClient<Call, Event> client = scheduler(master, ContentType.PROTOBUF);
    assertThat(failure(client.call(schedulerTeardown()))).isInstanceOf(MesosServerException.class)
        .hasMessageEndingWith("failed: 500 Internal Server Error: boom");
    assertThat(master.requests()).hasSize(1);
  }

  @Test
  void longErrorBodiesAreCutToAboutOneKilobyte() throws Exception {
    ScriptedMesosServer master = server().route("/api/v1/scheduler", Responders.status(400, "x".repeat(5000)));
    MesosClient<Call, Event> client = scheduler(master, ContentType.PROTOBUF);
    MesosException error = (MesosException) failure(client.call(schedulerTeardown()));
    assertThat(error.body()).hasSize(1024 + 3).endsWith("...");
  }

  @Test
  void aCallWithoutAnswerTimesOutAndTheNextOneUsesAFreshConnection() throws Exception {
    AtomicInteger seen = new AtomicInteger();
    ScriptedMesosServer master = server().route("/api/v1/scheduler", (request, exchange) -> {
      if (seen.incrementAndGet() > 1) {
        exchange.reply(202, "");
      }
    });
    MesosClient<Call, Event> client = client(MesosApi.SCHEDULER,
        config(master.uri(), ContentType.PROTOBUF).requestTimeout(Duration.ofMillis(300)).build());

    CompletableFuture<MesosResponse> first = client.call(schedulerMessage("first"));
    CompletableFuture<MesosResponse> second = client.call(schedulerMessage("second"));
    assertThat(failure(first)).isInstanceOf(MesosConnectionException.class)
        .hasMessageContaining("no response within 300ms");
    assertThat(await(second).status()).isEqualTo(202);
    List<RecordedRequest> requests = master.requests();
    assertThat(requests).extracting(TestMessages::messageData).containsExactly("first", "second");
    assertThat(requests.get(1).connection()).isNotEqualTo(requests.get(0).connection());
  }

  @Test
  void aKeepAliveConnectionClosedByTheServerIsReopened() throws Exception {
    ScriptedMesosServer master = server().route("/api/v1/scheduler",
        (request, exchange) -> exchange.replyAndClose(202, ""));
    MesosClient<Call, Event> client = scheduler(master, ContentType.PROTOBUF);
    for (int i = 0; i < 3; i++) {
      assertThat(await(client.call(schedulerMessage("m" + i))).status()).isEqualTo(202);
    }
    assertThat(master.requests()).extracting(RecordedRequest::connection).doesNotHaveDuplicates();
  }

  @Test
  void responsesCarryStatusHeadersAndBody() throws Exception {
    ScriptedMesosServer master = server().route("/api/v1/scheduler",
        Responders.status(200, "{\"ok\":true}", "X-Answer", "42"));
    MesosClient<Call, Event> client = client(MesosApi.SCHEDULER, config(master.uri(), ContentType.JSON)
        .authorization(MesosAuthorization.basic("ferry", "s3cret")).build());
    MesosResponse response = await(client.call(schedulerTeardown()));
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("x-answer")).contains("42");
    assertThat(response.bodyText()).isEqualTo("{\"ok\":true}");
    RecordedRequest request = master.takeRequest();
    assertThat(request.header("Authorization")).isEqualTo("Basic ZmVycnk6czNjcmV0");
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    assertThat(request.header("Host")).isEqualTo("127.0.0.1:" + master.port());
    assertThat(request.schedulerCall()).isEqualTo(schedulerTeardown());
  }

  @Test
  void subscribeAndCallRefuseEachOthersCalls() throws Exception {
    ScriptedMesosServer master = server();
    MesosClient<Call, Event> client = scheduler(master, ContentType.JSON);
    assertThatThrownBy(() -> client.call(schedulerSubscribe())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use subscribe()");
    assertThatThrownBy(() -> client.subscribe(schedulerTeardown(), new RecordingListener<>()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got TEARDOWN");
  }
}
