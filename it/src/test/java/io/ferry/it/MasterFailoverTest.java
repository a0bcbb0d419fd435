package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.driver.FerryContext;
import io.ferry.it.jobs.RecordedTask;
import io.ferry.it.support.JobSetup;
import io.ferry.it.support.Jobs;
import io.ferry.it.support.Ledger;
import io.ferry.mesos.local.LocalCluster;
import io.ferry.mesos.local.master.LocalMaster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code mesos://zk://} driver with the real distribution: two mesos-local masters elect a
 * leader in ZooKeeper (Curator's TestingServer); the leader dies while tasks run; the driver
 * follows the new leader and every task, before, during and after, finishes with its result.
 */
@Timeout(240)
class MasterFailoverTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  @Test
  void theDriverFollowsTheNewLeaderAndFinishes() throws Exception {
    JobSetup job = JobSetup.in(dir);
    try (TestingServer zk = new TestingServer(true);
        LocalCluster cluster = LocalCluster.startWithZooKeeper(
            LocalCluster.Settings.of(2, 3, 2048, dir.resolve("cluster")).withAllocationInterval(Duration.ofMillis(200)),
            2, new LocalMaster.Zk(zk.getConnectString(), "/mesos"));
        FerryContext ferry = FerryContext.create(Jobs.settings("mesos://zk://" + zk.getConnectString() + "/mesos",
            job.archiveUri(), false, job.appJar(), dir.resolve("work")))) {
      List<CompletableFuture<Long>> all = new ArrayList<>(submit(ferry, job.ledger(), 0, 6, 100));
      for (CompletableFuture<Long> f : all) {
        f.get(90, TimeUnit.SECONDS);
      }
      all.addAll(submit(ferry, job.ledger(), 6, 6, 2000));
      io.ferry.it.support.Await.until(Duration.ofSeconds(60), "tasks running when the leader dies",
          () -> job.ledger().attempts().stream().filter(a -> a.index() >= 6 && !a.done()).count() >= 2);
      LocalMaster old = cluster.master();
      cluster.killMaster(cluster.masters().indexOf(old));
      all.addAll(submit(ferry, job.ledger(), 12, 6, 100));
      for (int i = 0; i < all.size(); i++) {
        assertThat(all.get(i).get(120, TimeUnit.SECONDS)).as("task %d", i).isEqualTo(RecordedTask.expected(i));
      }
      assertThat(cluster.master()).isNotSameAs(old);
      assertThat(cluster.master().leading()).isTrue();
      assertThat(job.ledger().attempts()).filteredOn(Ledger.Attempt::done).extracting(Ledger.Attempt::index)
          .containsAll(java.util.stream.IntStream.range(0, 18).boxed().toList());
    }
  }

  private static List<CompletableFuture<Long>> submit(FerryContext ferry, Ledger ledger, int from, int n, long millis) {
    List<CompletableFuture<Long>> futures = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      futures.add(ferry.submit("t" + i, new RecordedTask(i, millis, ledger.dir())));
    }
    return futures;
  }
}
