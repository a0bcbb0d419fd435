package io.ferry.mesos.http;

import static io.ferry.mesos.http.TestMessages.schedulerSubscribe;
import static io.ferry.mesos.http.TestMessages.schedulerSubscribed;
import static io.ferry.mesos.http.TestMessages.schedulerTeardown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.mesos.ContentType;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MesosClientLifecycleTest extends ClientTestSupport {

  @Test
  void startingTwiceFailsLoudly() {
    ScriptedMesosServer master = server();
    MesosClient<Call, Event> client = scheduler(master, ContentType.PROTOBUF);
    assertThat(client.state()).isEqualTo(MesosClient.State.RUNNING);
    assertThatThrownBy(client::start).isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot start a RUNNING MesosClient (expected: NEW)");
  }

  @Test
  void closingTwiceOrBeforeStartingIsHarmless() {
    ScriptedMesosServer master = server();
    MesosClient<Call, Event> unstarted = MesosClient.create(MesosApi.SCHEDULER,
        config(master.uri(), ContentType.JSON).build());
    assertThat(unstarted.state()).isEqualTo(MesosClient.State.NEW);
    unstarted.close();
    unstarted.close();
    assertThat(unstarted.state()).isEqualTo(MesosClient.State.CLOSED);
    assertThatThrownBy(unstarted::start).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("CLOSED");

    MesosClient<Call, Event> client = scheduler(master, ContentType.JSON);
    client.close();
    client.close();
    assertThat(client.state()).isEqualTo(MesosClient.State.CLOSED);
  }

  @Test
  void aClosedClientRefusesWork() {
    ScriptedMesosServer master = server();
    MesosClient<Call, Event> client = scheduler(master, ContentType.JSON);
    client.close();
    assertThatThrownBy(() -> client.call(schedulerTeardown())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is CLOSED (expected: RUNNING)");
    assertThatThrownBy(() -> client.subscribe(schedulerSubscribe(), new RecordingListener<>()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closeEndsTheStreamQuietlyAndFailsPendingWork() throws Exception {
    ScriptedMesosServer master = server().route("/api/v1/scheduler", (request, exchange) -> {
      if (request.schedulerCall().getType() == Call.Type.SUBSCRIBE) {
        Responders.stream(List.of(schedulerSubscribed())).respond(request, exchange);
      } // other calls are never answered
    });
    MesosClient<Call, Event> client = scheduler(master, ContentType.PROTOBUF);
    RecordingListener<Event> listener = new RecordingListener<>();
    Subscription subscription = await(client.subscribe(schedulerSubscribe(), listener));
    assertThat(listener.next()).isEqualTo(schedulerSubscribed());
    CompletableFuture<MesosResponse> inFlight = client.call(schedulerTeardown());
    CompletableFuture<MesosResponse> queued = client.call(schedulerTeardown());
    master.takeRequest();
    master.takeRequest();

    client.close();
    assertThat(listener.awaitClosed()).isNull();
    assertThat(subscription.isOpen()).isFalse();
    assertThat(failure(inFlight)).isExactlyInstanceOf(MesosException.class)
        .hasMessageEndingWith("failed: the client was closed");
    assertThat(failure(queued)).isExactlyInstanceOf(MesosException.class);
  }

  @Test
  void closeFailsASubscribeStillWaitingForItsAnswer() throws Exception {
    ScriptedMesosServer master = server().route("/api/v1/scheduler", Responders.silent());
    MesosClient<Call, Event> client = scheduler(master, ContentType.PROTOBUF);
    RecordingListener<Event> listener = new RecordingListener<>();
    CompletableFuture<Subscription> pending = client.subscribe(schedulerSubscribe(), listener);
    master.takeRequest();
    client.close();
    assertThat(failure(pending)).isExactlyInstanceOf(MesosException.class)
        .hasMessageContaining("closed on our side before the stream opened");
    assertThat(listener.isClosed()).isFalse();
  }

  @Test
  void cancellingASubscribeAbandonsTheAttempt() throws Exception {
    ScriptedMesosServer master = server().route("/api/v1/scheduler", Responders.silent());
    MesosClient<Call, Event> client = scheduler(master, ContentType.PROTOBUF);
    CompletableFuture<Subscription> pending = client.subscribe(schedulerSubscribe(), new RecordingListener<>());
    RecordedRequest request = master.takeRequest();
    pending.cancel(false);
    // The server sees the connection close: the attempt does not linger.
    await(master.connectionClosed(request.connection()));
    assertThat(pending).isCancelled();
  }
}
