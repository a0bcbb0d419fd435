package io.ferry.mesos.http;

import static io.ferry.mesos.http.TestMessages.schedulerHeartbeat;
import static io.ferry.mesos.http.TestMessages.schedulerSubscribe;
import static io.ferry.mesos.http.TestMessages.schedulerSubscribed;
import static io.ferry.mesos.http.TestMessages.schedulerTeardown;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mesos.ContentType;
import io.ferry.mesos.http.MesosStreamException.Reason;
import io.ferry.mesos.recordio.RecordIoException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MesosClientStreamFailureTest extends ClientTestSupport {

  private ScriptedMesosServer streamingMaster() {
    return server().route("/api/v1/scheduler", Responders.stream(List.of(schedulerSubscribed())));
  }

  /** Subscribes and reads SUBSCRIBED, so the stream is known to be open. */
  private RecordingListener<Event> open(MesosClient<Call, Event> client) throws Exception {
    RecordingListener<Event> listener = new RecordingListener<>();
    await(client.subscribe(schedulerSubscribe(), listener));
    assertThat(listener.next()).isEqualTo(schedulerSubscribed());
    return listener;
  }

  private static MesosStreamException streamFailure(RecordingListener<Event> listener) throws Exception {
    Throwable cause = listener.awaitClosed();
    assertThat(cause).isInstanceOf(MesosStreamException.class);
    assertThat(listener.threads).allSatisfy(name -> assertThat(name).startsWith("ferry-mesos-events-"));
    return (MesosStreamException) cause;
  }

  @Test
  void connectionRefusedFailsFastWithAConnectionException() throws Exception {
    ScriptedMesosServer gone = ScriptedMesosServer.start();
    URI endpoint = gone.uri();
    gone.close();
    // A connect timeout far longer than the wait proves the refusal is not waited out.
    MesosClient<Call, Event> client = client(MesosApi.SCHEDULER,
        config(endpoint, ContentType.PROTOBUF).connectTimeout(Duration.ofMinutes(5)).build());

    assertThat(failure(client.subscribe(schedulerSubscribe(), new RecordingListener<>())))
        .isInstanceOf(MesosConnectionException.class)
        .hasMessageStartingWith("SUBSCRIBE to " + endpoint + "/api/v1/scheduler failed: connection refused");
    MesosConnectionException error = (MesosConnectionException) failure(client.call(schedulerTeardown()));
    assertThat(error.status()).isZero();
    assertThat(error.callType()).isEqualTo("TEARDOWN");
  }

  @Test
  void aCutStreamClosesWithConnectionLost() throws Exception {
    ScriptedMesosServer master = streamingMaster();
    RecordingListener<Event> listener = open(scheduler(master, ContentType.PROTOBUF));
    master.takeStream().cut();
    MesosStreamException cause = streamFailure(listener);
    assertThat(cause.reason()).isEqualTo(Reason.CONNECTION_LOST);
    assertThat(cause).hasMessage("SUBSCRIBE stream from " + master.uri()
        + "/api/v1/scheduler closed: the connection closed mid-stream");
  }

  @Test
  void aResetStreamClosesWithConnectionLost() throws Exception {
    ScriptedMesosServer master = streamingMaster();
    RecordingListener<Event> listener = open(scheduler(master, ContentType.PROTOBUF));
    master.takeStream().reset();
    assertThat(streamFailure(listener).reason()).isEqualTo(Reason.CONNECTION_LOST);
  }

  @Test
  void aStreamEndedByTheServerSaysSo() throws Exception {
    ScriptedMesosServer master = streamingMaster();
    RecordingListener<Event> listener = open(scheduler(master, ContentType.JSON));
    ServerStream stream = master.takeStream();
    stream.send(schedulerHeartbeat());
    stream.end();
    assertThat(listener.next()).isEqualTo(schedulerHeartbeat());
    MesosStreamException cause = streamFailure(listener);
    assertThat(cause.reason()).isEqualTo(Reason.ENDED_BY_SERVER);
    assertThat(cause).hasMessageEndingWith("closed: the server ended the stream");
  }

  @Test
  void aSilentStreamHitsTheIdleTimeout() throws Exception {
    ScriptedMesosServer master = streamingMaster();
    MesosClient<Call, Event> client = client(MesosApi.SCHEDULER, config(master.uri(), ContentType.PROTOBUF)
        .streamIdleTimeout(Duration.ofMillis(200)).build());
    RecordingListener<Event> listener = open(client);
    MesosStreamException cause = streamFailure(listener);
    assertThat(cause.reason()).isEqualTo(Reason.IDLE_TIMEOUT);
    assertThat(cause).hasMessageEndingWith("closed: nothing received for 200ms (stream idle timeout)");
  }

  @Test
  void aMalformedRecordIoLengthClosesTheStream() throws Exception {
    ScriptedMesosServer master = streamingMaster();
    RecordingListener<Event> listener = open(scheduler(master, ContentType.JSON));
    ServerStream stream = master.takeStream();
    stream.sendRaw("12a\n{\"type\":\"HEA");
    MesosStreamException cause = streamFailure(listener);
    assertThat(cause.reason()).isEqualTo(Reason.MALFORMED_STREAM);
    assertThat(cause.getCause()).isInstanceOf(RecordIoException.class)
        .hasMessage("RecordIO length line '12a' is not a decimal number");
    assertThat(cause).hasMessageContaining("malformed stream: RecordIO length line '12a'");
  }

  @Test
  void aRecordOverTheMaximumClosesTheStream() throws Exception {
    ScriptedMesosServer master = streamingMaster();
    MesosClient<Call, Event> client = client(MesosApi.SCHEDULER, config(master.uri(), ContentType.JSON)
        .maxRecordSize(256).build());
    RecordingListener<Event> listener = open(client);
    master.takeStream().sendRaw("1000000\n");
    MesosStreamException cause = streamFailure(listener);
    assertThat(cause.getCause()).isInstanceOf(RecordIoException.class)
        .hasMessageContaining("exceeds the maximum record size of 256 bytes");
  }

  @Test
  void anUndecodableEventClosesTheStream() throws Exception {
    ScriptedMesosServer master = streamingMaster();
    RecordingListener<Event> listener = open(scheduler(master, ContentType.JSON));
    master.takeStream().sendRaw(ServerStream.frame("[1,2]".getBytes(StandardCharsets.UTF_8)));
    MesosStreamException cause = streamFailure(listener);
    assertThat(cause.reason()).isEqualTo(Reason.MALFORMED_STREAM);
    assertThat(cause).hasMessageContaining("record 2 is not a valid scheduler Event in application/json");
  }

  @Test
  void aRejectedSubscribeFailsWithMesossReason() throws Exception {
    ScriptedMesosServer master = server().route("/api/v1/scheduler",
        Responders.status(400, "Framework has been removed"));
    MesosClient<Call, Event> client = scheduler(master, ContentType.PROTOBUF);
    RecordingListener<Event> listener = new RecordingListener<>();
    assertThat(failure(client.subscribe(schedulerSubscribe(), listener)))
        .isInstanceOf(MesosClientException.class)
        .hasMessage("SUBSCRIBE to http://127.0.0.1:" + master.port()
            + "/api/v1/scheduler failed: 400 Bad Request: Framework has been removed");
    assertThat(listener.isClosed()).isFalse();
  }

  @Test
  void subscribeWithoutResponseHeadersTimesOut() throws Exception {
    ScriptedMesosServer master = server().route("/api/v1/scheduler", Responders.silent());
    MesosClient<Call, Event> client = client(MesosApi.SCHEDULER, config(master.uri(), ContentType.PROTOBUF)
        .requestTimeout(Duration.ofMillis(300)).build());
    assertThat(failure(client.subscribe(schedulerSubscribe(), new RecordingListener<>())))
        .isInstanceOf(MesosConnectionException.class)
        .hasMessageEndingWith("failed: no response headers within 300ms (request timeout)");
  }

  @Test
  void aConnectionDroppedBeforeTheAnswerFailsTheSubscribe() throws Exception {
    ScriptedMesosServer master = server().route("/api/v1/scheduler", (request, exchange) -> exchange.drop());
    MesosClient<Call, Event> client = scheduler(master, ContentType.PROTOBUF);
    assertThat(failure(client.subscribe(schedulerSubscribe(), new RecordingListener<>())))
        .isInstanceOf(MesosConnectionException.class)
        .hasMessageEndingWith("failed: the connection closed before a response arrived");
  }

  @Test
  void aStreamOfTheWrongContentTypeIsRefused() throws Exception {
    ScriptedMesosServer master = server().route("/api/v1/scheduler",
        (request, exchange) -> exchange.openStream(ContentType.JSON).send(schedulerSubscribed()));
    MesosClient<Call, Event> client = scheduler(master, ContentType.PROTOBUF);
    RecordingListener<Event> listener = new RecordingListener<>();
    Throwable failure = failure(client.subscribe(schedulerSubscribe(), listener));
    assertThat(failure).isExactlyInstanceOf(MesosException.class)
        .hasMessageContaining("200 OK with Content-Type 'application/json', expected a application/x-protobuf stream");
    assertThat(listener.pendingEvents()).isZero();
  }
}
