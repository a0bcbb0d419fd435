package io.ferry.mesos.http;

import static io.ferry.mesos.http.TestMessages.executorHeartbeat;
import static io.ferry.mesos.http.TestMessages.executorSubscribe;
import static io.ferry.mesos.http.TestMessages.executorSubscribed;
import static io.ferry.mesos.http.TestMessages.schedulerHeartbeat;
import static io.ferry.mesos.http.TestMessages.schedulerSubscribe;
import static io.ferry.mesos.http.TestMessages.schedulerSubscribed;
import static io.ferry.mesos.http.TestMessages.schedulerTeardown;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mesos.ContentType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MesosClientSubscribeTest extends ClientTestSupport {

  @ParameterizedTest
  @EnumSource(ContentType.class)
  void schedulerStreamDeliversSubscribedThenHeartbeats(ContentType type) throws Exception {
    ScriptedMesosServer master = server().route("/api/v1/scheduler",
        Responders.stream(List.of(schedulerSubscribed()), "Mesos-Stream-Id", "stream-7"));
    MesosClient<Call, Event> client = scheduler(master, type);
    RecordingListener<Event> listener = new RecordingListener<>();

    Subscription subscription = await(client.subscribe(schedulerSubscribe(), listener));
    ServerStream stream = master.takeStream();
    stream.send(schedulerHeartbeat());
    // A record split across chunks, and two records in one chunk: boundaries mean nothing.
    byte[] heartbeat = ServerStream.frame(type.encode(schedulerHeartbeat()));
    stream.sendRaw(Arrays.copyOfRange(heartbeat, 0, 1));
    byte[] twoRecords = new byte[(heartbeat.length - 1) + heartbeat.length];
    System.arraycopy(heartbeat, 1, twoRecords, 0, heartbeat.length - 1);
    System.arraycopy(heartbeat, 0, twoRecords, heartbeat.length - 1, heartbeat.length);
    stream.sendRaw(twoRecords);

    assertThat(listener.next()).isEqualTo(schedulerSubscribed());
    for (int i = 0; i < 3; i++) {
      assertThat(listener.next().getType()).isEqualTo(Event.Type.HEARTBEAT);
    }
    RecordedRequest request = master.takeRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.header("Accept")).isEqualTo(type.mediaType());
    assertThat(request.header("Content-Type")).isEqualTo(type.mediaType());
    assertThat(request.header("Mesos-Stream-Id")).isNull();
    assertThat(request.header("Authorization")).isNull();
    assertThat(request.schedulerCall()).isEqualTo(schedulerSubscribe());
    assertThat(subscription.streamId()).contains("stream-7");
    assertThat(subscription.contentType()).isEqualTo(type);
    assertThat(subscription.isOpen()).isTrue();
    assertThat(client.streamId()).contains("stream-7");

    subscription.close();
    assertThat(listener.awaitClosed()).isNull();
    assertThat(subscription.isOpen()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(ContentType.class)
  void executorStreamDeliversEventsAndSendsTheBearerToken(ContentType type) throws Exception {
    ScriptedMesosServer.Responder stream = Responders.stream(List.of(executorSubscribed(), executorHeartbeat()));
    ScriptedMesosServer agent = server().route("/api/v1/executor", (request, exchange) -> {
      if (request.executorCall().getType() == org.apache.mesos.v1.executor.Protos.Call.Type.SUBSCRIBE) {
        stream.respond(request, exchange);
      } else {
        exchange.reply(202, "");
      }
    });
    MesosClient<org.apache.mesos.v1.executor.Protos.Call, org.apache.mesos.v1.executor.Protos.Event> client =
        client(MesosApi.EXECUTOR, config(agent.uri(), type)
            .authorization(MesosAuthorization.fromExecutorEnvironment(
                Map.of(MesosAuthorization.EXECUTOR_TOKEN_VARIABLE, "jwt.token.value")))
            .build());
    RecordingListener<org.apache.mesos.v1.executor.Protos.Event> listener = new RecordingListener<>();

    Subscription subscription = await(client.subscribe(executorSubscribe(), listener));
    assertThat(listener.next()).isEqualTo(executorSubscribed());
    assertThat(listener.next()).isEqualTo(executorHeartbeat());
    RecordedRequest request = agent.takeRequest();
    assertThat(request.header("Authorization")).isEqualTo("Bearer jwt.token.value");
    assertThat(request.executorCall()).isEqualTo(executorSubscribe());
    assertThat(subscription.streamId()).isEmpty();

    await(client.call(TestMessages.executorHeartbeatCall()));
    RecordedRequest heartbeat = agent.takeRequest();
    assertThat(heartbeat.header("Authorization")).isEqualTo("Bearer jwt.token.value");
    assertThat(heartbeat.header("Mesos-Stream-Id")).isNull();
  }

  @Test
  void streamIdIsSentOnLaterCallsButNeverOnSubscribe() throws Exception {
    ScriptedMesosServer master = server().route("/api/v1/scheduler", (request, exchange) -> {
      if (request.schedulerCall().getType() == Call.Type.SUBSCRIBE) {
        exchange.openStream(ContentType.PROTOBUF, "Mesos-Stream-Id", "stream-" + request.connection())
            .send(schedulerSubscribed());
      } else {
        exchange.reply(202, "");
      }
    });
    MesosClient<Call, Event> client = scheduler(master, ContentType.PROTOBUF);
    RecordingListener<Event> first = new RecordingListener<>();
    Subscription subscription = await(client.subscribe(schedulerSubscribe(), first));
    await(client.call(schedulerTeardown()));

    assertThat(master.takeRequest().header("Mesos-Stream-Id")).isNull();
    RecordedRequest teardown = master.takeRequest();
    assertThat(teardown.header("Mesos-Stream-Id")).isEqualTo(subscription.streamId().orElseThrow());

    // A resubscription gets a new id; SUBSCRIBE itself must not carry the old one (Mesos: 400).
    subscription.close();
    assertThat(first.awaitClosed()).isNull();
    Subscription second = await(client.subscribe(schedulerSubscribe(), new RecordingListener<>()));
    assertThat(master.takeRequest().header("Mesos-Stream-Id")).isNull();
    assertThat(second.streamId()).isNotEqualTo(subscription.streamId());
    await(client.call(schedulerTeardown()));
    assertThat(master.takeRequest().header("Mesos-Stream-Id")).isEqualTo(second.streamId().orElseThrow());
  }

  @Test
  void listenerAndFuturesNeverRunOnAnIoThread() throws Exception {
    ScriptedMesosServer master = server().route("/api/v1/scheduler",
        Responders.stream(List.of(schedulerSubscribed(), schedulerHeartbeat())));
    MesosClient<Call, Event> client = scheduler(master, ContentType.JSON);
    RecordingListener<Event> listener = new RecordingListener<>();

    CompletableFuture<String> completedOn = client.subscribe(schedulerSubscribe(), listener)
        .thenApply(subscription -> Thread.currentThread().getName());
    assertThat(await(completedOn)).doesNotStartWith("ferry-mesos-io");
    listener.next();
    listener.next();
    master.takeStream().cut();
    assertThat(listener.awaitClosed()).isNotNull();
    assertThat(listener.threads).hasSize(1).allSatisfy(name -> assertThat(name).startsWith("ferry-mesos-events-"));
  }

  @Test
  void aSlowListenerPausesReadingAndStillGetsEveryEventInOrder() throws Exception {
    int events = ListenerQueueLimits.HIGH_WATER * 3;
    ScriptedMesosServer master = server().route("/api/v1/scheduler",
        Responders.stream(List.of(schedulerSubscribed())));
    MesosClient<Call, Event> client = scheduler(master, ContentType.PROTOBUF);
    CountDownLatch release = new CountDownLatch(1);
    RecordingListener<Event> listener = new RecordingListener<>() {
      @Override
      public void onEvent(Event event) {
        try {
          release.await(ScriptedMesosServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        super.onEvent(event);
      }
    };
    await(client.subscribe(schedulerSubscribe(), listener));
    ServerStream stream = master.takeStream();
    for (int i = 0; i < events; i++) {
      stream.send(Event.newBuilder().setType(Event.Type.MESSAGE)
          .setMessage(Event.Message.newBuilder().setAgentId(org.apache.mesos.v1.Protos.AgentID.newBuilder()
              .setValue("a")).setExecutorId(TestMessages.EXECUTOR_ID)
              .setData(com.google.protobuf.ByteString.copyFromUtf8(Integer.toString(i))))
          .build());
    }
    release.countDown();
    assertThat(listener.next().getType()).isEqualTo(Event.Type.SUBSCRIBED);
    for (int i = 0; i < events; i++) {
      assertThat(listener.next().getMessage().getData().toStringUtf8()).isEqualTo(Integer.toString(i));
    }
  }
}
