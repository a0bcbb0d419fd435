package io.ferry.driver.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.driver.MasterUrl;
import io.ferry.mesos.local.Await;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A stream that stays open but silent for 5 heartbeat intervals is given up, and the link resubscribes with its ID. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SchedulerLinkWatchdogTest {

  static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void missedHeartbeatsMakeTheLinkResubscribeWithItsFrameworkId() throws Exception {
    RecordingListener events = new RecordingListener();
    try (SilentMaster master = new SilentMaster();
        SchedulerLink link = SchedulerLink.create(SchedulerLinkConfig.builder(MasterUrl.parse("mesos://" + master.address()))
            .initialBackoff(Duration.ofMillis(50)).build())) {
      link.start(events);
      assertThat(link.subscribed().get(20, TimeUnit.SECONDS)).isEqualTo(SilentMaster.ID);
      Await.until(WAIT, "a resubscription after the silence", () -> events.subscriptions.size() >= 2);

      assertThat(events.disconnections.get(0)).startsWith("no event for").contains("5 heartbeat intervals of 100ms");
      assertThat(events.subscriptions.get(1).resubscribed()).isTrue();
      Call first = master.calls.stream().filter(c -> c.getType() == Call.Type.SUBSCRIBE).findFirst().orElseThrow();
      Call second = master.calls.stream().filter(c -> c.getType() == Call.Type.SUBSCRIBE).skip(1).findFirst().orElseThrow();
      assertThat(first.getSubscribe().getFrameworkInfo().hasId()).isFalse();
      assertThat(second.getSubscribe().getFrameworkInfo().getId()).isEqualTo(SilentMaster.ID);
      assertThat(second.getFrameworkId()).isEqualTo(SilentMaster.ID);
      // FrameworkInfo as the protocol wants it, and a RECONCILE after each SUBSCRIBED.
      assertThat(first.getSubscribe().getFrameworkInfo().getCheckpoint()).isTrue();
      assertThat(first.getSubscribe().getFrameworkInfo().getFailoverTimeout()).isEqualTo(600.0);
      assertThat(first.getSubscribe().getFrameworkInfo().getCapabilitiesList()).extracting(c -> c.getType().name())
          .containsExactlyInAnyOrder("TASK_KILLING_STATE", "PARTITION_AWARE");
      Await.until(WAIT, "two implicit reconciliations",
          () -> master.calls.stream().filter(c -> c.getType() == Call.Type.RECONCILE).count() >= 2);
    }
  }
}
