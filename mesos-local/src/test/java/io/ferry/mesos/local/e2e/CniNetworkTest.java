package io.ferry.mesos.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ferry.mesos.local.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.Label;
import org.apache.mesos.v1.Protos.Labels;
import org.apache.mesos.v1.Protos.NetworkInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor whose {@code ContainerInfo} joins a CNI network, as Mesos's {@code network/cni}
 * isolator treats it: an unknown network fails the launch (TASK_FAILED,
 * REASON_CONTAINER_LAUNCH_FAILED, Mesos's message) before anything is fetched; a known one launches
 * and its NetworkInfo shows in the task's container status, in updates and in {@code /state}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CniNetworkTest {

  @TempDir Path tmp;

  private static TaskInfo.Builder joining(String network) {
    TaskInfo.Builder task = TaskInfo.newBuilder().setName("t").setTaskId(org.apache.mesos.v1.Protos.TaskID
            .newBuilder().setValue("t"))
        .addResources(LocalClusterTest.scalar("cpus", 0.1)).addResources(LocalClusterTest.scalar("mem", 32))
        .setExecutor(LocalClusterTest.trivialExecutor("e-t"));
    task.getExecutorBuilder().setContainer(ContainerInfo.newBuilder().setType(ContainerInfo.Type.MESOS)
        .addNetworkInfos(NetworkInfo.newBuilder().setName(network).setLabels(Labels.newBuilder()
            .addLabels(Label.newBuilder().setKey("rack").setValue("r1")))));
    return task;
  }

  private LocalCluster cluster(Set<String> networks) throws Exception {
    return LocalCluster.start(LocalCluster.Settings.parse("local-cluster[1,2,1024]", tmp.resolve("cluster"))
        .withAllocationInterval(Duration.ofMillis(100)).withCniNetworks(networks));
  }

  @Test
  void anUnknownNetworkFailsTheLaunchAsMesosDoes() throws Exception {
    TaskStatus status;
    try (LocalCluster cluster = cluster(Set.of("other-net"));
        OneTask framework = OneTask.subscribe(cluster, System.getProperty("user.name"))) {
      // A URI that cannot be fetched: the network is checked first, so the failure is the network's.
      TaskInfo.Builder task = joining("ferry-net");
      task.getExecutorBuilder().getCommandBuilder().addUris(org.apache.mesos.v1.Protos.CommandInfo.URI.newBuilder()
          .setValue(tmp.resolve("never-fetched").toString()));
      framework.launch(task);
      status = framework.awaitTerminal(Duration.ofSeconds(60));
    }
    assertThat(status.getState()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(status.getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
    assertThat(status.getMessage()).isEqualTo("Failed to launch container: Unknown CNI network 'ferry-net'");
  }

  @Test
  void aKnownNetworkLaunchesAndShowsInTheContainerStatus() throws Exception {
    try (LocalCluster cluster = cluster(Set.of("ferry-net"));
        OneTask framework = OneTask.subscribe(cluster, System.getProperty("user.name"))) {
      framework.launch(joining("ferry-net"));
      TaskStatus end = framework.awaitTerminal(Duration.ofSeconds(60));
      assertThat(end.getState()).isEqualTo(TaskState.TASK_FINISHED);
      assertThat(framework.updates).allSatisfy(u -> assertThat(u.getContainerStatus().getNetworkInfosList())
          .singleElement().satisfies(n -> {
            assertThat(n.getName()).isEqualTo("ferry-net");
            assertThat(n.getLabels().getLabels(0).getKey() + ":" + n.getLabels().getLabels(0).getValue())
                .isEqualTo("rack:r1");
          }));

      JsonObject state = JsonParser.parseString(cluster.master().stateJson().get(10, TimeUnit.SECONDS))
          .getAsJsonObject();
      JsonObject task = state.getAsJsonArray("frameworks").get(0).getAsJsonObject()
          .getAsJsonArray("completed_tasks").get(0).getAsJsonObject();
      List<String> networks = new ArrayList<>();
      for (JsonElement s : task.getAsJsonArray("statuses")) {
        JsonObject container = s.getAsJsonObject().getAsJsonObject("container_status");
        if (container == null) {
          continue; // TASK_STAGING, which the master makes itself
        }
        container.getAsJsonArray("network_infos").forEach(n -> networks.add(n.getAsJsonObject().get("name").getAsString() + " "
            + n.getAsJsonObject().getAsJsonObject("labels").getAsJsonArray("labels").get(0)));
      }
      assertThat(networks).as("TASK_RUNNING and TASK_FINISHED; TASK_STAGING is the master's own")
          .containsExactly("ferry-net {\"key\":\"rack\",\"value\":\"r1\"}", "ferry-net {\"key\":\"rack\",\"value\":\"r1\"}");
    }
  }
}
