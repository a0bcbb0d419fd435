package io.ferry.mesos.local.e2e;

import static io.ferry.mesos.local.e2e.LocalClusterTest.scalar;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mesos.ContentType;
import io.ferry.mesos.local.Await;
import io.ferry.mesos.local.LocalCluster;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Agents that require executor tokens: 401 without one, 403 with another executor's, work with their own. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ExecutorAuthenticationTest {

  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path work;

  @Test
  void executorsMustPresentTheirOwnToken() throws Exception {
    LocalCluster.Settings settings = LocalCluster.Settings.parse("local-cluster[1,2,1024]", work)
        .withAllocationInterval(Duration.ofMillis(100)).withExecutorAuthentication(true);
    try (LocalCluster cluster = LocalCluster.start(settings); RawScheduler scheduler = new RawScheduler(cluster.masterUrl())) {
      assertThat(scheduler.subscribe(ConformanceTest.framework(0), ContentType.JSON)).isEqualTo(200);
      Offer offer = scheduler.next(WAIT, e -> e.getType() == Event.Type.OFFERS).getOffers().getOffers(0);
      ExecutorInfo spy = ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue("spy"))
          .setCommand(CommandInfo.newBuilder().setValue("echo \"$MESOS_EXECUTOR_AUTHENTICATION_TOKEN\" > token; exec sleep 300"))
          .addResources(scalar("cpus", 0.1)).addResources(scalar("mem", 32)).build();
      TaskInfo real = TaskInfo.newBuilder().setName("real").setTaskId(TaskID.newBuilder().setValue("real"))
          .setAgentId(offer.getAgentId()).addResources(scalar("cpus", 0.25)).addResources(scalar("mem", 32))
          .setExecutor(LocalClusterTest.trivialExecutor("trivial")).build();
      TaskInfo spyTask = real.toBuilder().setName("spy").setTaskId(TaskID.newBuilder().setValue("spy")).setExecutor(spy).build();
      scheduler.call(scheduler.callOf(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder().addOfferIds(offer.getId())
          .addOperations(ConformanceTest.launch(real, spyTask))).build());

      TaskStatus status;
      do {
        status = scheduler.next(WAIT, e -> e.getType() == Event.Type.UPDATE
            && e.getUpdate().getStatus().getTaskId().getValue().equals("real")).getUpdate().getStatus();
        scheduler.call(scheduler.callOf(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
            .setAgentId(status.getAgentId()).setTaskId(status.getTaskId()).setUuid(status.getUuid())).build());
      } while (status.getState() == TaskState.TASK_RUNNING);
      assertThat(status.getState()).as("the executor with its token").isEqualTo(TaskState.TASK_FINISHED);

      String agent = ConformanceTest.agentAddress(offer);
      RawExecutor noToken = new RawExecutor(agent, scheduler.frameworkId, ExecutorID.newBuilder().setValue("spy").build());
      assertThat(noToken.subscribe(org.apache.mesos.v1.executor.Protos.Call.Subscribe.getDefaultInstance())).isEqualTo(401);

      Path[] tokenFile = {null};
      Await.until(WAIT, "the spy's token", () -> {
        try (Stream<Path> files = Files.walk(work)) {
          tokenFile[0] = files.filter(p -> p.getFileName().toString().equals("token")).findFirst().orElse(null);
        }
        return tokenFile[0] != null && Files.readString(tokenFile[0]).trim().length() > 20;
      });
      String spyToken = Files.readString(tokenFile[0]).trim();
      org.apache.mesos.v1.executor.Protos.Call asTrivial = org.apache.mesos.v1.executor.Protos.Call.newBuilder()
          .setType(org.apache.mesos.v1.executor.Protos.Call.Type.SUBSCRIBE).setFrameworkId(scheduler.frameworkId)
          .setExecutorId(ExecutorID.newBuilder().setValue("trivial"))
          .setSubscribe(org.apache.mesos.v1.executor.Protos.Call.Subscribe.getDefaultInstance()).build();
      HttpResponse<String> other = scheduler.http.send(HttpRequest.newBuilder(URI.create("http://" + agent + "/api/v1/executor"))
          .header("Content-Type", "application/json").header("Authorization", "Bearer " + spyToken)
          .POST(HttpRequest.BodyPublishers.ofByteArray(ContentType.JSON.encode(asTrivial))).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(other.statusCode()).as("another executor's token").isEqualTo(403);

      HttpResponse<String> state = scheduler.http.send(HttpRequest.newBuilder(URI.create(cluster.masterUrl() + "/state")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(state.body()).doesNotContain(spyToken);
    }
  }
}
