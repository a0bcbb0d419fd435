package io.ferry.driver.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.driver.MasterUrl;
import io.ferry.mesos.local.Await;
import io.ferry.mesos.local.LocalCluster;
import io.ferry.mesos.local.master.LocalMaster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A {@code mesos://zk://} link follows the leader elected in ZooKeeper when it changes mid-stream. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SchedulerLinkLeaderChangeTest {

  static final Duration WAIT = Duration.ofSeconds(40);

  @TempDir Path work;

  @Test
  void resubscribesWithTheNewLeaderUnderTheSameFrameworkId() throws Exception {
    RecordingListener events = new RecordingListener();
    try (TestingServer zk = new TestingServer(true);
        LocalCluster cluster = LocalCluster.startWithZooKeeper(SchedulerLinkTest.settings(work), 2,
            new LocalMaster.Zk(zk.getConnectString(), "/mesos"));
        SchedulerLink link = SchedulerLink.create(SchedulerLinkConfig.builder(
            MasterUrl.parse("mesos://zk://" + zk.getConnectString() + "/mesos")).frameworkName("zk-test")
            .initialBackoff(Duration.ofMillis(50)).build())) {
      LocalMaster leader = cluster.masters().stream().filter(LocalMaster::leading).findFirst().orElseThrow();
      LocalMaster follower = cluster.masters().stream().filter(m -> m != leader).findFirst().orElseThrow();
      link.start(events);
      FrameworkID id = link.subscribed().get(30, TimeUnit.SECONDS);
      assertThat(events.subscriptions.get(0).master().getAddress().getPort()).isEqualTo(leader.port());
      Await.until(WAIT, "an offer from the first leader", () -> !events.offers.isEmpty());
      int mark = events.offerMark();

      cluster.killMaster(cluster.masters().indexOf(leader));
      Await.until(WAIT, "a resubscription with the new leader", () -> events.subscriptions.size() == 2);
      RecordingListener.Subscribed second = events.subscriptions.get(1);
      assertThat(second.id()).isEqualTo(id);
      assertThat(second.resubscribed()).isTrue();
      assertThat(second.master().getAddress().getPort()).isEqualTo(follower.port());
      assertThat(events.disconnections).isNotEmpty();
      Await.until(WAIT, "offers from the new leader", () -> events.offers.size() > mark);
      assertThat(events.offers.get(events.offers.size() - 1).getAgentId().getValue()).isEqualTo(cluster.agents().get(0).id());
      assertThat(events.errors).isEmpty();
      assertThat(events.threads).containsExactly("ferry-scheduler-events");
    }
  }

  @Test
  void aDirectUrlToANonLeaderFollowsItsRedirect() throws Exception {
    RecordingListener events = new RecordingListener();
    try (TestingServer zk = new TestingServer(true);
        LocalCluster cluster = LocalCluster.startWithZooKeeper(SchedulerLinkTest.settings(work), 2,
            new LocalMaster.Zk(zk.getConnectString(), "/mesos"))) {
      LocalMaster leader = cluster.masters().stream().filter(LocalMaster::leading).findFirst().orElseThrow();
      LocalMaster follower = cluster.masters().stream().filter(m -> m != leader).findFirst().orElseThrow();
      try (SchedulerLink link = SchedulerLink.create(SchedulerLinkConfig.builder(
          MasterUrl.parse("mesos://" + follower.address())).build())) {
        link.start(events);
        link.subscribed().get(30, TimeUnit.SECONDS);
        assertThat(events.subscriptions.get(0).master().getAddress().getPort()).isEqualTo(leader.port());
        Await.until(WAIT, "an offer through the redirected stream", () -> !events.offers.isEmpty());
        link.revive().get(10, TimeUnit.SECONDS); // calls go to the leader too
      }
    }
  }
}
