package io.ferry.mesos.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mesos.local.LocalCluster;
import io.ferry.mesos.local.agent.DockerCli;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.Image;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor whose ExecutorInfo names a container image, on an agent that cannot run one: the
 * launch fails at once with TASK_FAILED (REASON_CONTAINER_LAUNCH_FAILED) and a reason that says
 * what is missing, never a hang. Needs no Docker: the agent is pointed at a CLI or a daemon that
 * is not there.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ImageContainerWithoutDockerTest {

  @TempDir Path tmp;

  private static TaskInfo.Builder inImage(ContainerInfo.Type type, Image.Type imageType) {
    TaskInfo.Builder task = OneTask.withExecutor("t", "exec /opt/ferry/bin/ferry-executor");
    ContainerInfo.Builder container = ContainerInfo.newBuilder().setType(type);
    if (type == ContainerInfo.Type.DOCKER) {
      container.setDocker(ContainerInfo.DockerInfo.newBuilder().setImage("ferry:test"));
    }
    task.getExecutorBuilder().setContainer(container
        .setMesos(ContainerInfo.MesosInfo.newBuilder().setImage(Image.newBuilder().setType(imageType)
            .setDocker(Image.Docker.newBuilder().setName("ferry:test")))));
    return task;
  }

  private TaskStatus run(DockerCli docker, TaskInfo.Builder task) throws Exception {
    try (LocalCluster cluster = LocalCluster.start(LocalCluster.Settings.parse("local-cluster[1,2,1024]",
        tmp.resolve("cluster")).withAllocationInterval(Duration.ofMillis(100)).withDocker(docker));
        OneTask framework = OneTask.subscribe(cluster, System.getProperty("user.name"))) {
      framework.launch(task);
      return framework.awaitTerminal(Duration.ofSeconds(60));
    }
  }

  @Test
  void withoutTheDockerCliTheTaskFailsSayingSo() throws Exception {
    TaskStatus status = run(new DockerCli(tmp.resolve("no-such-docker").toString(), Optional.empty(),
        Duration.ofSeconds(10)), inImage(ContainerInfo.Type.MESOS, Image.Type.DOCKER));

    assertThat(status.getState()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(status.getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
    assertThat(status.getMessage()).startsWith("Failed to launch container: the docker CLI ('"
        + tmp.resolve("no-such-docker") + "') is not installed on this agent, so it cannot run a container image");
  }

  @Test
  void withoutADockerDaemonTheTaskFailsSayingSo() throws Exception {
    Assumptions.assumeTrue(onPath("docker"), "needs the docker CLI (not a daemon) on PATH");
    Path socket = tmp.resolve("no-daemon.sock");
    TaskStatus status = run(new DockerCli("docker", Optional.of("unix://" + socket), Duration.ofSeconds(10)),
        inImage(ContainerInfo.Type.MESOS, Image.Type.DOCKER));

    assertThat(status.getState()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(status.getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
    assertThat(status.getMessage()).startsWith("Failed to launch container: no Docker daemon answers at unix://"
        + socket + " (docker version: ").contains("start dockerd");
  }

  @Test
  void mesossDockerContainerizerIsRefusedNamingWhatToUse() throws Exception {
    TaskStatus status = run(DockerCli.DEFAULT, inImage(ContainerInfo.Type.DOCKER, Image.Type.DOCKER));

    assertThat(status.getState()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(status.getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
    assertThat(status.getMessage()).contains("ExecutorInfo.container has type DOCKER: mesos-local runs containers of"
        + " type MESOS only");
  }

  private static boolean onPath(String name) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, name)));
  }
}
