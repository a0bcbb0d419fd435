package io.ferry.mesos.http;

import static io.ferry.mesos.http.TestMessages.schedulerMessage;
import static io.ferry.mesos.http.TestMessages.schedulerSubscribe;
import static io.ferry.mesos.http.TestMessages.schedulerSubscribed;
import static io.ferry.mesos.http.TestMessages.schedulerTeardown;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mesos.ContentType;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MesosClientRedirectRetryTest extends ClientTestSupport {

  /** A leading master: SUBSCRIBE streams, everything else is accepted. */
  private static ScriptedMesosServer.Responder leader() {
    ScriptedMesosServer.Responder stream = Responders.stream(List.of(schedulerSubscribed()),
        "Mesos-Stream-Id", "leader-stream");
    return (request, exchange) -> {
      if (request.schedulerCall().getType() == Call.Type.SUBSCRIBE) {
        stream.respond(request, exchange);
      } else {
        exchange.reply(202, "");
      }
    };
  }

  private static String schemeless(ScriptedMesosServer leader) {
    return "//127.0.0.1:" + leader.port() + "/api/v1/scheduler";
  }

  @Test
  void subscribeFollowsASchemelessRedirectAndLaterCallsGoToTheNewLeader() throws Exception {
    ScriptedMesosServer leader = server().route("/api/v1/scheduler", leader());
    ScriptedMesosServer follower = server().route("/api/v1/scheduler", Responders.redirect(schemeless(leader)));
    MesosClient<Call, Event> client = scheduler(follower, ContentType.JSON);
    RecordingListener<Event> listener = new RecordingListener<>();

    Subscription subscription = await(client.subscribe(schedulerSubscribe(), listener));
    assertThat(listener.next()).isEqualTo(schedulerSubscribed());
    URI leaderUrl = URI.create("http://127.0.0.1:" + leader.port() + "/api/v1/scheduler");
    assertThat(subscription.url()).isEqualTo(leaderUrl);
    assertThat(client.endpoint()).isEqualTo(leaderUrl);

    await(client.call(schedulerTeardown()));
    assertThat(follower.requests()).hasSize(1);
    assertThat(leader.requests()).extracting(request -> request.schedulerCall().getType())
        .containsExactly(Call.Type.SUBSCRIBE, Call.Type.TEARDOWN);
    assertThat(leader.requests().get(1).header("Mesos-Stream-Id")).isEqualTo("leader-stream");
  }

  @Test
  void callsFollowRedirectsAndStayWithTheNewLeader() throws Exception {
    ScriptedMesosServer leader = server().route("/api/v1/scheduler", leader());
    ScriptedMesosServer follower = server().route("/api/v1/scheduler", Responders.redirect(schemeless(leader)));
    MesosClient<Call, Event> client = scheduler(follower, ContentType.PROTOBUF);

    assertThat(await(client.call(schedulerMessage("one"))).status()).isEqualTo(202);
    assertThat(await(client.call(schedulerMessage("two"))).status()).isEqualTo(202);
    assertThat(follower.requests()).extracting(TestMessages::messageData).containsExactly("one");
    assertThat(leader.requests()).extracting(TestMessages::messageData).containsExactly("one", "two");
    // The redirected request is the same call, body and all.
    assertThat(leader.requests().get(0).body()).isEqualTo(follower.requests().get(0).body());
  }

  @Test
  void aRelativeLocationKeepsSchemeAndHost() throws Exception {
    ScriptedMesosServer master = server()
        .route("/api/v1/scheduler", Responders.redirect("/master/api/v1/scheduler"))
        .route("/master/api/v1/scheduler", Responders.accepted());
    MesosClient<Call, Event> client = scheduler(master, ContentType.PROTOBUF);
    await(client.call(schedulerTeardown()));
    assertThat(client.endpoint()).isEqualTo(URI.create(master.uri() + "/master/api/v1/scheduler"));
  }

  @Test
  void aRedirectLoopFailsAfterTheMaximum() throws Exception {
    ScriptedMesosServer master = server();
    master.route("/api/v1/scheduler", Responders.redirect(schemeless(master)));
    MesosClient<Call, Event> client = client(MesosApi.SCHEDULER,
        config(master.uri(), ContentType.PROTOBUF).maxRedirects(2).build());

    assertThat(failure(client.call(schedulerTeardown()))).isInstanceOf(MesosRedirectException.class)
        .hasMessageContaining("too many redirects (3, at most 2 followed)");
    assertThat(failure(client.subscribe(schedulerSubscribe(), new RecordingListener<>())))
        .isInstanceOf(MesosRedirectException.class).hasMessageStartingWith("SUBSCRIBE to ");
    assertThat(master.requests()).hasSize(6);
  }

  @Test
  void unavailableCallsAreRetriedThenSucceed() throws Exception {
    ScriptedMesosServer master = server().route("/api/v1/scheduler",
        Responders.unavailableThen(2, Responders.accepted()));
    MesosClient<Call, Event> client = scheduler(master, ContentType.PROTOBUF);
    assertThat(await(client.call(schedulerTeardown())).status()).isEqualTo(202);
    assertThat(master.requests()).hasSize(3);
  }

  @Test
  void unavailableSubscribeIsRetriedThenStreams() throws Exception {
    ScriptedMesosServer master = server().route("/api/v1/scheduler", Responders.unavailableThen(2, leader()));
    MesosClient<Call, Event> client = scheduler(master, ContentType.JSON);
    RecordingListener<Event> listener = new RecordingListener<>();
    await(client.subscribe(schedulerSubscribe(), listener));
    assertThat(listener.next()).isEqualTo(schedulerSubscribed());
    assertThat(master.requests()).hasSize(3);
  }

  @Test
  void retriesAreBoundedByThePolicy() throws Exception {
    ScriptedMesosServer master = server().route("/api/v1/scheduler", Responders.status(503, "No leader elected"));
    MesosClient<Call, Event> client = client(MesosApi.SCHEDULER, config(master.uri(), ContentType.PROTOBUF)
        .retryPolicy(new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(5))).build());
    Throwable failure = failure(client.call(schedulerTeardown()));
    assertThat(failure).isInstanceOf(MesosServerException.class)
        .hasMessageEndingWith("failed: 503 Service Unavailable: No leader elected (after 2 retries)");
    assertThat(((MesosServerException) failure).status()).isEqualTo(503);
    assertThat(master.requests()).hasSize(3);
  }

  @Test
  void clientErrorsAreNeverRetried() throws Exception {
    ScriptedMesosServer master = server().route("/api/v1/scheduler", Responders.status(403, "Framework is not subscribed"));
    MesosClient<Call, Event> client = scheduler(master, ContentType.PROTOBUF);
    assertThat(failure(client.subscribe(schedulerSubscribe(), new RecordingListener<>())))
        .isInstanceOf(MesosClientException.class);
    assertThat(failure(client.call(schedulerTeardown()))).isInstanceOf(MesosClientException.class);
    assertThat(master.requests()).hasSize(2);
  }
}
