package io.ferry.driver.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.driver.MasterUrl;
import io.ferry.mesos.ContentType;
import io.ferry.mesos.local.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.Protos.Address;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The leader is the lowest sequence among the masters' nodes, in any of the three formats. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ZkMasterDetectorTest {

  static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void followsTheLowestSequenceAcrossFormatsAndWaitsWhenThereIsNone() throws Exception {
    List<Optional<String>> seen = new CopyOnWriteArrayList<>();
    try (TestingServer server = new TestingServer(true);
        CuratorFramework zk = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100));
        ZkMasterDetector detector = ZkMasterDetector.create(
            (MasterUrl.ZooKeeper) MasterUrl.parse("zk://" + server.getConnectString() + "/mesos"))) {
      zk.start();
      detector.start(leader -> seen.add(leader.map(ZkMasterDetector.Leader::address)));
      // The path does not exist yet: the detector waits for it.
      zk.create().creatingParentsIfNeeded().forPath("/mesos/log_replicas", new byte[0]);
      MasterInfo json = MasterInfo.newBuilder().setId("m1").setIp(0x0500000a).setPort(1).setHostname("ignored")
          .setAddress(Address.newBuilder().setIp("10.0.0.5").setHostname("m1.example").setPort(5050)).build();
      String first = zk.create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
          .forPath("/mesos/json.info_", ContentType.JSON.encode(json));
      Await.until(WAIT, "the JSON leader", () -> seen.contains(Optional.of("10.0.0.5:5050")));

      MasterInfo binary = MasterInfo.newBuilder().setId("m2").setIp(0x0600000a).setPort(5051).build();
      String second = zk.create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL).forPath("/mesos/info_", binary.toByteArray());
      zk.create().forPath("/mesos/0000000099",
          "master@10.0.0.7:5052".getBytes(StandardCharsets.UTF_8));
      zk.delete().forPath(first);
      Await.until(WAIT, "the binary leader (legacy ip field)", () -> seen.contains(Optional.of("10.0.0.6:5051")));
      zk.delete().forPath(second);
      Await.until(WAIT, "the unlabelled leader", () -> seen.contains(Optional.of("10.0.0.7:5052")));
      for (String child : zk.getChildren().forPath("/mesos")) {
        if (!child.equals("log_replicas")) {
          zk.delete().forPath("/mesos/" + child);
        }
      }
      Await.until(WAIT, "no leader", () -> seen.get(seen.size() - 1).isEmpty());
      assertThat(seen).containsExactly(Optional.of("10.0.0.5:5050"), Optional.of("10.0.0.6:5051"),
          Optional.of("10.0.0.7:5052"), Optional.empty());
      assertThat(detector.leader()).isEmpty();
    }
  }
}
