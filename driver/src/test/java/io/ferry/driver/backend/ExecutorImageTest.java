package io.ferry.driver.backend;

import static io.ferry.driver.backend.ExecutorInfos.conf;
import static io.ferry.driver.backend.ExecutorInfos.executor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.driver.FerryConf;
import io.ferry.driver.FerryConfException;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Image;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ferry.mesos.executor.docker.image}: from the configuration to the ExecutorInfo the
 * driver launches, as Mesos's unified containerizer expects it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExecutorImageTest {

  @Test
  void anImageMakesAMesosContainerWithADockerImageAndNothingToFetch() {
    FerryConf conf = conf("ferry.mesos.executor.docker.image", "registry.example.com:5000/ferry:0.1.0",
        "ferry.executor.memory", "768m");
    assertThat(conf.executorUri()).as("no archive needed").isEmpty();
    ExecutorInfo info = executor(conf);

    ContainerInfo container = info.getContainer();
    assertThat(container.getType()).isEqualTo(ContainerInfo.Type.MESOS);
    assertThat(container.hasDocker()).as("not Mesos's Docker containerizer").isFalse();
    Image image = container.getMesos().getImage();
    assertThat(image.getType()).isEqualTo(Image.Type.DOCKER);
    assertThat(image.getDocker().getName()).isEqualTo("registry.example.com:5000/ferry:0.1.0");
    assertThat(image.getCached()).as("cached unless forcePullImage").isTrue();

    CommandInfo command = info.getCommand();
    assertThat(command.getShell()).isFalse();
    assertThat(command.getValue()).isEqualTo("/opt/ferry/bin/ferry-executor");
    assertThat(command.getArgumentsList()).containsExactly("/opt/ferry/bin/ferry-executor");
    assertThat(command.getUrisList()).as("no archive to fetch").isEmpty();
    assertThat(command.getEnvironment().getVariablesList())
        .anySatisfy(v -> assertThat(v.getName() + "=" + v.getValue()).isEqualTo("FERRY_EXECUTOR_MEMORY=768m"));
    assertThat(info.getType()).isEqualTo(ExecutorInfo.Type.CUSTOM);
    assertThat(info.getResourcesList()).isEqualTo(ExecutorInfos.RESOURCES);
  }

  @Test
  void forcePullImageMapsToMesossCachedFieldAndExtraUrisAreStillFetched() {
    ExecutorInfo info = executor(conf("ferry.mesos.executor.docker.image", "ferry:test",
        "ferry.mesos.executor.docker.forcePullImage", "true", "ferry.mesos.uris", "http://repo/app.conf",
        "ferry.executor.uri", "hdfs://nn/ferry/ferry-0.1.0-bin.tgz"));

    assertThat(info.getContainer().getMesos().getImage().getCached()).isFalse();
    assertThat(info.getCommand().getUrisList()).extracting(CommandInfo.URI::getValue)
        .as("the image wins over the archive; ferry.mesos.uris stay").containsExactly("http://repo/app.conf");
  }

  @Test
  void withoutAnImageTheExecutorComesFromTheArchiveOnTheHost() {
    ExecutorInfo info = executor(conf("ferry.executor.uri", "hdfs://nn/ferry/ferry-0.1.0-bin.tgz"));

    assertThat(info.hasContainer()).isFalse();
    assertThat(info.getCommand().getShell()).isTrue();
    assertThat(info.getCommand().getValue()).contains("cd ferry-0.1.0-bin && exec ./bin/ferry-executor");
    assertThat(info.getCommand().getUrisList()).extracting(CommandInfo.URI::getValue)
        .containsExactly("hdfs://nn/ferry/ferry-0.1.0-bin.tgz");
  }

  @Test
  void badImageSettingsAreErrorsNamingTheKey() {
    assertThatThrownBy(() -> conf("ferry.mesos.executor.docker.image", "ferry latest"))
        .isInstanceOf(FerryConfException.class)
        .hasMessageContaining("ferry.mesos.executor.docker.image: 'ferry latest'")
        .hasMessageContaining("expected: a Docker image reference such as ferry:0.1.0");
    assertThatThrownBy(() -> conf("ferry.mesos.executor.docker.forcePullImage", "true",
        "ferry.executor.uri", "hdfs://nn/ferry/ferry-0.1.0-bin.tgz"))
        .isInstanceOf(FerryConfException.class)
        .hasMessageContaining("ferry.mesos.executor.docker.forcePullImage: true without ferry.mesos.executor.docker.image");
    assertThatThrownBy(() -> conf()).isInstanceOf(FerryConfException.class)
        .hasMessageContaining("or run executors in an image with ferry.mesos.executor.docker.image");
  }
}
