package io.ferry.mesos.local.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mesos.ContentType;
import io.ferry.mesos.local.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.Protos.Address;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The election rules of the digest's section 3, against a real ZooKeeper. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MasterContenderTest {

  static MasterInfo info(String ip, int port) {
    return MasterInfo.newBuilder().setId("m-" + port).setIp(0).setPort(port).setHostname("host-" + port)
        .setAddress(Address.newBuilder().setIp(ip).setPort(port)).build();
  }

  @Test
  void theLowestSequenceLeadsAndOtherNodesAreIgnored() throws Exception {
    try (TestingServer server = new TestingServer(true);
        CuratorFramework zk = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100))) {
      zk.start();
      zk.create().creatingParentsIfNeeded().forPath("/mesos/log_replicas", new byte[0]);
      String other = zk.create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
          .forPath("/mesos/json.info_", ContentType.JSON.encode(info("10.1.2.3", 5050)));
      AtomicReference<Leadership> seen = new AtomicReference<>();
      MasterContender me = new MasterContender(zk, "/mesos", info("127.0.0.1", 5051), seen::set);
      me.start();
      assertThat(seen.get()).isEqualTo(Leadership.following("10.1.2.3:5050"));
      zk.delete().forPath(other);
      Await.until(Duration.ofSeconds(10), "the lead", () -> seen.get().equals(Leadership.LEADING));
      me.close();
    }
  }

  @Test
  void aBareLabelHoldsTheMasterPid() throws Exception {
    try (TestingServer server = new TestingServer(true);
        CuratorFramework zk = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100))) {
      zk.start();
      // A node with no label is only its sequence number (created here by hand with number 0).
      zk.create().creatingParentsIfNeeded().forPath("/m/0000000000", "master@10.0.0.9:5050".getBytes(StandardCharsets.UTF_8));
      AtomicReference<Leadership> seen = new AtomicReference<>();
      MasterContender me = new MasterContender(zk, "/m", info("127.0.0.1", 5051), seen::set);
      me.start();
      assertThat(seen.get()).isEqualTo(Leadership.following("10.0.0.9:5050"));
      me.close();
    }
  }
}
