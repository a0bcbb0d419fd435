package io.ferry.mesos.local.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Image;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What an image container is given, without Docker: the image asked for, its environment, its mount. */
@Timeout(value = 5, unit = TimeUnit.SECONDS)
class ImageContainerTest {

  private static ExecutorInfo executor(ContainerInfo.Builder container) {
    ExecutorInfo.Builder info = ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue("e"))
        .setCommand(CommandInfo.newBuilder().setValue("run"));
    if (container != null) {
      info.setContainer(container);
    }
    return info.build();
  }

  private static ContainerInfo.Builder mesos(Image.Builder image) {
    return ContainerInfo.newBuilder().setType(ContainerInfo.Type.MESOS)
        .setMesos(ContainerInfo.MesosInfo.newBuilder().setImage(image));
  }

  @Test
  void theImageOfAMesosContainerAndWhetherItIsPulledAgain() throws IOException {
    assertThat(ImageContainer.of(executor(null))).isEmpty();
    assertThat(ImageContainer.of(executor(ContainerInfo.newBuilder().setType(ContainerInfo.Type.MESOS)))).isEmpty();
    Image.Builder image = Image.newBuilder().setType(Image.Type.DOCKER).setDocker(Image.Docker.newBuilder().setName("ferry:1"));
    assertThat(ImageContainer.of(executor(mesos(image)))).contains(new ImageContainer.Spec("ferry:1", false));
    assertThat(ImageContainer.of(executor(mesos(image.setCached(false)))))
        .contains(new ImageContainer.Spec("ferry:1", true));
    assertThatThrownBy(() -> ImageContainer.of(executor(mesos(Image.newBuilder().setType(Image.Type.APPC)
        .setAppc(Image.Appc.newBuilder().setName("ferry"))))))
        .hasMessageContaining("mesos-local runs DOCKER images only");
  }

  @Test
  void theImagesEnvComesBetweenTheAgentsVariablesAndTheCommandsAndTheSandboxIsTheMountedOne() {
    ExecutorEnvironment.AgentSide agent = new ExecutorEnvironment.AgentSide("127.0.0.1", 5051, "A-S0", true,
        Duration.ofMinutes(15), Duration.ofSeconds(2), Map.of("LANG", "agent", "JAVA_HOME", "/agent/jdk"));
    CommandInfo command = CommandInfo.newBuilder().setValue("run").setEnvironment(Environment.newBuilder()
        .addVariables(Environment.Variable.newBuilder().setName("JAVA_HOME").setValue("/mine"))).build();
    ImageContainer.ImageConfig config = ImageContainer.ImageConfig.parse(
        "\nPATH=/opt/ferry/bin:/usr/bin:/bin\nLANG=C.UTF-8\nJAVA_HOME=/image/jdk\nA=b=c\n");
    assertThat(config.workingDir()).isEmpty();
    Map<String, String> env = ExecutorEnvironment.forImage(agent, "F-1", "e-1", Path.of("/work/runs/c1"),
        ImageContainer.SANDBOX, Duration.ofSeconds(5), Optional.empty(), command, config.env());
    assertThat(env).containsEntry("MESOS_SANDBOX", "/mnt/mesos/sandbox")
        .containsEntry("MESOS_DIRECTORY", "/work/runs/c1")
        .containsEntry("PATH", "/opt/ferry/bin:/usr/bin:/bin").containsEntry("LANG", "C.UTF-8")
        .containsEntry("JAVA_HOME", "/mine").containsEntry("A", "b=c")
        .containsEntry("MESOS_HTTP_COMMAND_EXECUTOR", "0");
    assertThat(ImageContainer.ImageConfig.parse("/srv\n").workingDir()).isEqualTo("/srv");
  }

  @Test
  void theSandboxMountQuotesAPathWithACommaAsCsv() {
    assertThat(ImageContainer.mount(Path.of("/w/runs/c1")))
        .isEqualTo("type=bind,src=/w/runs/c1,dst=/mnt/mesos/sandbox");
    assertThat(ImageContainer.mount(Path.of("/w/ex,1/\"q\"")))
        .isEqualTo("type=bind,\"src=/w/ex,1/\"\"q\"\"\",dst=/mnt/mesos/sandbox");
  }
}
