package io.ferry.driver.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.driver.MasterUrl;
import io.ferry.mesos.local.Await;
import io.ferry.mesos.local.LocalCluster;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** HTTP Basic authentication, and the one clear line for masters that cannot be reached. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SchedulerLinkAuthAndFailuresTest {

  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path work;

  @Test
  void theRightSecretSubscribesAndAWrongOneStopsTheLinkWithoutPrintingIt() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(SchedulerLinkTest.settings(work)
        .withFrameworkCredentials(Map.of("ferry", "s3cret-right")))) {
      RecordingListener good = new RecordingListener();
      try (SchedulerLink link = SchedulerLink.create(SchedulerLinkTest.config(cluster).principal("ferry")
          .secret("s3cret-right").build())) {
        link.start(good);
        link.subscribed().get(30, TimeUnit.SECONDS);
        Await.until(WAIT, "an offer", () -> !good.offers.isEmpty());
      }

      RecordingListener bad = new RecordingListener();
      try (SchedulerLink link = SchedulerLink.create(SchedulerLinkTest.config(cluster).principal("ferry")
          .secret("s3cret-wrong").build())) {
        link.start(bad);
        assertThat(link.subscribed()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
            .withCauseInstanceOf(SchedulerLinkException.class);
        assertThat(bad.errors).singleElement().satisfies(message -> {
          assertThat(message).contains(cluster.masterAddress()).contains("401").contains("principal 'ferry'")
              .contains("ferry.mesos.secretFile").doesNotContain("s3cret");
        });
        assertThat(link.state()).isEqualTo(SchedulerLink.State.FAILED);
        assertThat(bad.subscriptions).isEmpty();
      }

      RecordingListener none = new RecordingListener();
      try (SchedulerLink link = SchedulerLink.create(SchedulerLinkTest.config(cluster).build())) {
        link.start(none);
        assertThat(link.subscribed()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
            .withMessageContaining("no secret sent");
      }
    }
  }

  @Test
  void anUnreachableMasterGivesOneClearLine() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort(); // closed again: nothing listens there
    }
    RecordingListener events = new RecordingListener();
    try (SchedulerLink link = SchedulerLink.create(SchedulerLinkConfig.builder(MasterUrl.parse("mesos://127.0.0.1:" + port))
        .registrationTimeout(Duration.ofSeconds(1)).initialBackoff(Duration.ofMillis(50)).build())) {
      link.start(events);
      assertThat(link.subscribed()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(SchedulerLinkException.class);
      assertThat(events.errors).singleElement().satisfies(message -> {
        assertThat(message).startsWith("cannot subscribe to the Mesos master at 127.0.0.1:" + port + " within 1s")
            .contains("connection refused").contains("check ferry.master").doesNotContain("\n");
      });
      assertThat(link.state()).isEqualTo(SchedulerLink.State.FAILED);
    }
  }

  @Test
  void noLeaderInZooKeeperGivesOneClearLine() throws Exception {
    RecordingListener events = new RecordingListener();
    try (TestingServer zk = new TestingServer(true);
        SchedulerLink link = SchedulerLink.create(SchedulerLinkConfig.builder(
            MasterUrl.parse("mesos://zk://" + zk.getConnectString() + "/mesos")).registrationTimeout(Duration.ofSeconds(1)).build())) {
      link.start(events);
      assertThat(link.subscribed()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
          .withMessageContaining("no leading Mesos master in ZooKeeper");
      assertThat(events.errors).singleElement().satisfies(message ->
          assertThat(message).contains(zk.getConnectString()).contains("/mesos").contains("ferry.mesos.registrationTimeout"));
    }
  }
}
