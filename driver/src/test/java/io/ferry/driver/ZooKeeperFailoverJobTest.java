package io.ferry.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.api.Task;
import io.ferry.driver.testing.ExecutorArchive;
import io.ferry.mesos.local.LocalCluster;
import io.ferry.mesos.local.master.LocalMaster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A {@code mesos://zk://} driver whose leading master dies mid-job follows the new leader and finishes. */
@Timeout(240)
class ZooKeeperFailoverJobTest {
  @TempDir Path dir;
  static final AtomicInteger unused = new AtomicInteger();

  @Test
  void theJobFinishesAcrossAMasterFailover() throws Exception {
    Path archive = ExecutorArchive.build(dir);
    try (TestingServer zk = new TestingServer(true);
        LocalCluster cluster = LocalCluster.startWithZooKeeper(
            LocalCluster.Settings.of(2, 2, 1024, dir.resolve("cluster")), 2,
            new LocalMaster.Zk(zk.getConnectString(), "/mesos"));
        FerryContext ferry = FerryContext.create(Map.of(
            "ferry.master", "mesos://zk://" + zk.getConnectString() + "/mesos",
            "ferry.executor.uri", ExecutorArchive.uri(archive),
            "ferry.mesos.coarse", "false",
            "ferry.executor.memory", "256m",
            "ferry.driver.host", "127.0.0.1",
            "ferry.driver.bindAddress", "127.0.0.1"))) {
      List<CompletableFuture<Integer>> first = submit(ferry, 0, 8, 0);
      for (CompletableFuture<Integer> f : first) {
        f.get(60, TimeUnit.SECONDS);
      }
      assertThat(ferry.webUi()).as("the leading master's web UI").hasValue("http://" + cluster.master().address() + "/");
      // Tasks that are running while the leader dies, and tasks submitted after.
      List<CompletableFuture<Integer>> during = submit(ferry, 8, 8, 1500);
      int leader = cluster.masters().indexOf(cluster.master());
      cluster.killMaster(leader);
      List<CompletableFuture<Integer>> after = submit(ferry, 16, 8, 0);
      List<CompletableFuture<Integer>> all = new ArrayList<>(first);
      all.addAll(during);
      all.addAll(after);
      for (int i = 0; i < all.size(); i++) {
        assertThat(all.get(i).get(120, TimeUnit.SECONDS)).isEqualTo(i * 10);
      }
      assertThat(cluster.master()).isNotSameAs(cluster.masters().get(leader));
      assertThat(ferry.webUi()).as("the new leader's web UI, once the link follows it")
          .hasValue("http://" + cluster.master().address() + "/");
    }
  }

  private static List<CompletableFuture<Integer>> submit(FerryContext ferry, int from, int n, long sleepMs) {
    List<CompletableFuture<Integer>> futures = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      int k = i;
      Task<Integer> task = ctx -> {
        Thread.sleep(sleepMs);
        return k * 10;
      };
      futures.add(ferry.submit(task));
    }
    return futures;
  }
}
