package io.ferry.driver.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.driver.MasterUrl;
import io.ferry.mesos.local.Await;
import io.ferry.mesos.local.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler link against mesos-local: offers, filters, a real command task, a cut stream. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SchedulerLinkTest {

  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path work;

  static LocalCluster.Settings settings(Path work) {
    return LocalCluster.Settings.parse("local-cluster[1,1,512]", work).withAllocationInterval(Duration.ofMillis(100))
        .withUpdateRetry(Duration.ofMillis(200)).withHeartbeatInterval(Duration.ofMillis(500));
  }

  static SchedulerLinkConfig.Builder config(LocalCluster cluster) {
    return SchedulerLinkConfig.builder(MasterUrl.parse("mesos://" + cluster.masterAddress())).frameworkName("link-test")
        .failoverTimeout(Duration.ofSeconds(60));
  }

  @Test
  void subscribesGetsOffersDeclinesWithFiltersSuppressesAndRevives() throws Exception {
    RecordingListener events = new RecordingListener();
    try (LocalCluster cluster = LocalCluster.start(settings(work));
        SchedulerLink link = SchedulerLink.create(config(cluster).build())) {
      link.start(events);
      assertThatThrownBy(() -> link.start(events)).isInstanceOf(IllegalStateException.class).hasMessageContaining("NEW");
      FrameworkID id = link.subscribed().get(30, TimeUnit.SECONDS);
      assertThat(link.frameworkId()).hasValue(id);
      assertThat(link.state()).isEqualTo(SchedulerLink.State.SUBSCRIBED);
      Await.until(WAIT, "a first offer", () -> !events.offers.isEmpty());
      assertThat(events.subscriptions).singleElement().satisfies(s -> {
        assertThat(s.resubscribed()).isFalse();
        assertThat(s.master().getAddress().getPort()).isEqualTo(cluster.master().port());
      });

      // Declined for an hour: the agent's resources are not offered again, until REVIVE clears the filter.
      int mark = events.offerMark();
      link.decline(List.of(events.offers.get(mark - 1).getId()), Filters.newBuilder().setRefuseSeconds(3600).build())
          .get(10, TimeUnit.SECONDS);
      Await.during(Duration.ofMillis(600), () -> assertThat(events.offers).hasSize(mark));
      link.revive().get(10, TimeUnit.SECONDS);
      Await.until(WAIT, "an offer after REVIVE", () -> events.offers.size() > mark);

      // Suppressed: nothing even without a filter; revived: offers again.
      link.suppress().get(10, TimeUnit.SECONDS);
      Offer last = events.offers.get(events.offers.size() - 1);
      link.decline(List.of(last.getId()), Filters.newBuilder().setRefuseSeconds(0).build()).get(10, TimeUnit.SECONDS);
      int suppressed = events.offerMark();
      Await.during(Duration.ofMillis(600), () -> assertThat(events.offers).hasSize(suppressed));
      link.revive().get(10, TimeUnit.SECONDS);
      Await.until(WAIT, "an offer after SUPPRESS then REVIVE", () -> events.offers.size() > suppressed);

      assertThat(events.threads).containsExactly("ferry-scheduler-events");
      assertThat(events.errors).isEmpty();
    }
  }

  @Test
  void aCommandTaskRunsAndEachUpdateIsAcknowledgedExactlyOnce() throws Exception {
    RecordingListener events = new RecordingListener();
    try (LocalCluster cluster = LocalCluster.start(settings(work));
        SchedulerLink link = SchedulerLink.create(config(cluster).build())) {
      link.start(events);
      FrameworkID id = link.subscribed().get(30, TimeUnit.SECONDS);
      Await.until(WAIT, "an offer", () -> !events.offers.isEmpty());
      Offer offer = events.offers.get(0);
      TaskInfo task = TaskInfo.newBuilder().setName("true").setTaskId(TaskID.newBuilder().setValue("t-1"))
          .setAgentId(offer.getAgentId()).setCommand(CommandInfo.newBuilder().setValue("true"))
          .addResources(scalar("cpus", 0.1)).addResources(scalar("mem", 32)).build();
      link.accept(List.of(offer.getId()), List.of(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
          .setLaunch(Offer.Operation.Launch.newBuilder().addTaskInfos(task)).build()), Filters.getDefaultInstance())
          .get(10, TimeUnit.SECONDS);

      Await.until(WAIT, "TASK_FINISHED", () -> events.updatesOf("t-1", TaskState.TASK_FINISHED) == 1);
      Await.until(WAIT, "the terminal ACK to move the task to the master's completed tasks",
          () -> taskIds(cluster, "completed_tasks").contains("t-1") && !taskIds(cluster, "tasks").contains("t-1"));
      // Unacknowledged updates come back every 200 ms: none may repeat, and each was acknowledged once.
      Await.during(Duration.ofMillis(800), () -> {
        for (TaskState state : List.of(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED)) {
          assertThat(events.updatesOf("t-1", state)).as(state.name()).isEqualTo(1);
        }
      });
      long withUuid = events.updates.stream().filter(TaskStatus::hasUuid).count();
      assertThat(withUuid).isEqualTo(3);
      assertThat(link.acknowledgementsSent()).isEqualTo(withUuid);

      // A reconciliation answer has no uuid and is not acknowledged.
      link.reconcile(List.of(TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("ghost"))
          .setState(TaskState.TASK_RUNNING).setAgentId(offer.getAgentId()).build())).get(10, TimeUnit.SECONDS);
      Await.until(WAIT, "a reconciliation answer for the unknown task",
          () -> events.updates.stream().anyMatch(u -> u.getTaskId().getValue().equals("ghost")));
      TaskStatus ghost = events.updates.stream().filter(u -> u.getTaskId().getValue().equals("ghost")).findFirst().orElseThrow();
      assertThat(ghost.hasUuid()).isFalse();
      assertThat(ghost.getReason()).isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
      assertThat(link.acknowledgementsSent()).isEqualTo(withUuid);
      assertThat(id).isEqualTo(link.frameworkId().orElseThrow());
    }
  }

  @Test
  void resubscribesWithTheSameFrameworkIdAfterTheStreamIsCutAndReconcilesKnownTasks() throws Exception {
    RecordingListener events = new RecordingListener();
    TaskStatus known = TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("remembered"))
        .setState(TaskState.TASK_RUNNING).build();
    try (LocalCluster cluster = LocalCluster.start(settings(work));
        SchedulerLink link = SchedulerLink.create(config(cluster).knownTasks(() -> List.of(known))
            .initialBackoff(Duration.ofMillis(50)).build())) {
      link.start(events);
      FrameworkID id = link.subscribed().get(30, TimeUnit.SECONDS);
      Await.until(WAIT, "the explicit reconciliation's answer", () -> countOf(events, "remembered") == 1);

      Await.until(WAIT, "an offer", () -> !events.offers.isEmpty());
      int mark = events.offerMark();
      cluster.master().cutStream(id.getValue());
      Await.until(WAIT, "a resubscription", () -> events.subscriptions.size() == 2);
      assertThat(events.disconnections).hasSize(1);
      assertThat(events.subscriptions.get(1).id()).isEqualTo(id);
      assertThat(events.subscriptions.get(1).resubscribed()).isTrue();
      assertThat(link.state()).isEqualTo(SchedulerLink.State.SUBSCRIBED);
      Await.until(WAIT, "reconciliation again after SUBSCRIBED", () -> countOf(events, "remembered") == 2);
      Await.until(WAIT, "fresh offers on the new stream", () -> events.offers.size() > mark);
      assertThat(events.errors).isEmpty();
    }
  }

  @Test
  void aZeroFailoverTimeoutLosesTheFrameworkOnABlipAndTheLinkSaysWhy() throws Exception {
    RecordingListener events = new RecordingListener();
    try (LocalCluster cluster = LocalCluster.start(settings(work));
        SchedulerLink link = SchedulerLink.create(config(cluster).failoverTimeout(Duration.ZERO)
            .initialBackoff(Duration.ofMillis(50)).build())) {
      link.start(events);
      FrameworkID id = link.subscribed().get(30, TimeUnit.SECONDS);
      cluster.master().cutStream(id.getValue());
      // The state changes before the listener hears of it (callbacks run on their own thread).
      Await.until(WAIT, "the link to stop and report why", () -> link.state() == SchedulerLink.State.FAILED
          && !events.errors.isEmpty() && !events.disconnections.isEmpty());
      assertThat(events.disconnections).hasSize(1);
      assertThat(events.errors).singleElement().satisfies(message -> assertThat(message)
          .contains(cluster.masterAddress()).contains("removed").contains("ferry.mesos.failoverTimeout"));
      assertThat(link.revive()).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
          .withMessageContaining("FAILED");
    }
  }

  @Test
  void closeTearsTheFrameworkDown() throws Exception {
    RecordingListener events = new RecordingListener();
    try (LocalCluster cluster = LocalCluster.start(settings(work))) {
      SchedulerLink link = SchedulerLink.create(config(cluster).build());
      link.start(events);
      FrameworkID id = link.subscribed().get(30, TimeUnit.SECONDS);
      link.close();
      assertThat(link.state()).isEqualTo(SchedulerLink.State.CLOSED);
      Await.until(WAIT, "the framework to be removed",
          () -> frameworkIds(cluster, "completed_frameworks").contains(id.getValue())
              && !frameworkIds(cluster, "frameworks").contains(id.getValue()));
      assertThat(link.revive()).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(IllegalStateException.class);
      link.close(); // harmless
    }
  }

  @Test
  void callsBeforeSubscribingFailClearly() {
    SchedulerLink link = SchedulerLink.create(SchedulerLinkConfig.builder(MasterUrl.parse("mesos://127.0.0.1:5050")).build());
    try {
      assertThat(link.revive()).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
          .withMessageContaining("NEW");
    } finally {
      link.close();
    }
  }

  static long countOf(RecordingListener events, String task) {
    return events.updates.stream().filter(u -> u.getTaskId().getValue().equals(task)).count();
  }

  static Resource scalar(String name, double value) {
    return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
  }

  /** The IDs of the frameworks under {@code field} of the master's {@code /master/state}. */
  private static List<String> frameworkIds(LocalCluster cluster, String field) throws Exception {
    List<String> ids = new java.util.ArrayList<>();
    com.google.gson.JsonObject state = com.google.gson.JsonParser
        .parseString(cluster.master().stateJson().get(10, TimeUnit.SECONDS)).getAsJsonObject();
    state.getAsJsonArray(field).forEach(f -> ids.add(f.getAsJsonObject().get("id").getAsString()));
    return ids;
  }

  /** The IDs of every framework's tasks under {@code field} ({@code tasks}, {@code completed_tasks}). */
  private static List<String> taskIds(LocalCluster cluster, String field) throws Exception {
    List<String> ids = new java.util.ArrayList<>();
    com.google.gson.JsonObject state = com.google.gson.JsonParser
        .parseString(cluster.master().stateJson().get(10, TimeUnit.SECONDS)).getAsJsonObject();
    state.getAsJsonArray("frameworks").forEach(f -> f.getAsJsonObject().getAsJsonArray(field)
        .forEach(t -> ids.add(t.getAsJsonObject().get("id").getAsString())));
    return ids;
  }
}
