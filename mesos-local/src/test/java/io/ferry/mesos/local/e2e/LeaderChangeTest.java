package io.ferry.mesos.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mesos.ContentType;
import io.ferry.mesos.local.Await;
import io.ferry.mesos.local.LocalCluster;
import io.ferry.mesos.local.master.LocalMaster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The digest's edge case 19: masters elected through ZooKeeper; a non-leader answers 307 with a
 * scheme-less Location; the leader goes away mid-stream and the framework resubscribes with the
 * new one under the same ID and gets offers from the agents, which follow the new leader.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LeaderChangeTest {

  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path work;

  @Test
  void aLeaderChangeMidStreamAndSchemeLessRedirects() throws Exception {
    try (TestingServer zk = new TestingServer(true);
        LocalCluster cluster = LocalCluster.startWithZooKeeper(LocalCluster.Settings.parse("local-cluster[1,1,512]", work)
            .withAllocationInterval(Duration.ofMillis(100)), 2, new LocalMaster.Zk(zk.getConnectString(), "/mesos"))) {
      LocalMaster leader = cluster.masters().stream().filter(LocalMaster::leading).findFirst().orElseThrow();
      LocalMaster follower = cluster.masters().stream().filter(m -> m != leader).findFirst().orElseThrow();

      HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
      HttpResponse<String> redirect = http.send(HttpRequest.newBuilder(URI.create("http://" + follower.address() + "/api/v1/scheduler"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(redirect.statusCode()).isEqualTo(307);
      assertThat(redirect.headers().firstValue("Location")).hasValue("//" + leader.address() + "/api/v1/scheduler");
      // The state endpoints of a master that does not lead redirect too, path and query kept (Mesos's
      // Master::Http::redirect); /master/redirect goes to the leader's root; the leader serves them.
      HttpResponse<String> state = http.send(HttpRequest.newBuilder(
          URI.create("http://" + follower.address() + "/master/tasks?limit=5")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(state.statusCode()).isEqualTo(307);
      assertThat(state.headers().firstValue("Location")).hasValue("//" + leader.address() + "/master/tasks?limit=5");
      HttpResponse<String> toLeader = http.send(HttpRequest.newBuilder(
          URI.create("http://" + follower.address() + "/master/redirect")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(toLeader.statusCode()).isEqualTo(307);
      assertThat(toLeader.headers().firstValue("Location")).hasValue("//" + leader.address());
      assertThat(http.send(HttpRequest.newBuilder(URI.create("http://" + follower.address() + "/master/redirect/x"))
          .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
      HttpResponse<String> leaderState = http.send(HttpRequest.newBuilder(
          URI.create("http://" + leader.address() + "/master/state")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(leaderState.statusCode()).isEqualTo(200);
      assertThat(leaderState.body()).contains("\"leader\":\"master@" + leader.address() + "\"");
      HttpResponse<String> followerMetrics = http.send(HttpRequest.newBuilder(
          URI.create("http://" + follower.address() + "/metrics/snapshot")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(followerMetrics.body()).contains("\"master/elected\":0.0");

      RawScheduler first = new RawScheduler("http://" + leader.address());
      assertThat(first.subscribe(ConformanceTest.framework(60), ContentType.JSON)).isEqualTo(200);
      FrameworkID id = first.frameworkId;
      first.next(WAIT, e -> e.getType() == Event.Type.OFFERS);

      cluster.killMaster(cluster.masters().indexOf(leader));
      Await.until(WAIT, "the follower to take the lead", follower::leading);

      RawScheduler second = new RawScheduler("http://" + follower.address());
      assertThat(second.subscribe(ConformanceTest.framework(60).toBuilder().setId(id).build(), ContentType.JSON)).isEqualTo(200);
      assertThat(second.frameworkId).isEqualTo(id);
      Event offers = second.next(WAIT, e -> e.getType() == Event.Type.OFFERS);
      assertThat(offers.getOffers().getOffers(0).getAgentId().getValue()).isEqualTo(cluster.agents().get(0).id());
      assertThat(second.call(second.callOf(Call.Type.REVIVE).build()).statusCode()).isEqualTo(202);
      first.close();
      second.close();
    }
  }
}
