package io.ferry.mesos.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mesos.ContentType;
import io.ferry.mesos.http.EventListener;
import io.ferry.mesos.http.MesosApi;
import io.ferry.mesos.http.MesosClient;
import io.ferry.mesos.http.MesosClientConfig;
import io.ferry.mesos.http.MesosClientException;
import io.ferry.mesos.http.Subscription;
import io.ferry.mesos.local.LocalCluster;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ferry's own streaming client against mesos-local, both content types: the two halves of the
 * wire layer agree (each is also tested alone against independent peers).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FerryClientAgainstLocalClusterTest {

  @TempDir Path work;

  @Test
  void subscribesGetsOffersAndCallsWithTheStreamId() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(LocalCluster.Settings.parse("local-cluster[1,1,512]", work)
        .withAllocationInterval(Duration.ofMillis(100)))) {
      for (ContentType type : ContentType.values()) {
        MesosClientConfig config = MesosClientConfig.builder(URI.create(cluster.masterUrl())).contentType(type).build();
        try (MesosClient<Call, Event> client = MesosClient.create(MesosApi.SCHEDULER, config).start()) {
          BlockingQueue<Event> events = new LinkedBlockingQueue<>();
          Subscription s = client.subscribe(Call.newBuilder().setType(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.newBuilder()
              .setFrameworkInfo(ConformanceTest.framework(0))).build(), new EventListener<>() {
                @Override
                public void onEvent(Event event) {
                  events.add(event);
                }

                @Override
                public void onClosed(Throwable cause) {}
              }).get(20, TimeUnit.SECONDS);
          assertThat(s.streamId()).isNotEmpty();
          Event subscribed = events.poll(20, TimeUnit.SECONDS);
          assertThat(subscribed.getType()).isEqualTo(Event.Type.SUBSCRIBED);
          FrameworkID id = subscribed.getSubscribed().getFrameworkId();
          Event e;
          do {
            e = events.poll(20, TimeUnit.SECONDS);
            assertThat(e).isNotNull();
          } while (e.getType() != Event.Type.OFFERS);
          assertThat(client.call(Call.newBuilder().setType(Call.Type.REVIVE).setFrameworkId(id).build())
              .get(20, TimeUnit.SECONDS).status()).isEqualTo(202);
          try {
            client.call(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setFrameworkId(id)
                .setAcknowledge(Call.Acknowledge.newBuilder()
                    .setAgentId(org.apache.mesos.v1.Protos.AgentID.newBuilder().setValue("S"))
                    .setTaskId(org.apache.mesos.v1.Protos.TaskID.newBuilder().setValue("t"))
                    .setUuid(com.google.protobuf.ByteString.copyFromUtf8("not a valid uuid"))).build())
                .get(20, TimeUnit.SECONDS);
            throw new AssertionError("a malformed ACKNOWLEDGE was accepted");
          } catch (ExecutionException expected) {
            assertThat(expected.getCause()).isInstanceOf(MesosClientException.class).hasMessageContaining("400").hasMessageContaining("Not a valid UUID");
          }
          client.call(Call.newBuilder().setType(Call.Type.TEARDOWN).setFrameworkId(id).build()).get(20, TimeUnit.SECONDS);
        }
      }
    }
  }
}
