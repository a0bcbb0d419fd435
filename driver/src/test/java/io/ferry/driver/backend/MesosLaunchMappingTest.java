package io.ferry.driver.backend;

import static io.ferry.driver.backend.ExecutorInfos.conf;
import static io.ferry.driver.backend.ExecutorInfos.executor;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.driver.FerryConf;
import io.ferry.driver.mesos.SchedulerLinkConfig;
import io.ferry.driver.mesos.internal.FrameworkInfoFactory;
import io.ferry.driver.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.NetworkInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * From the Spark-parity settings to the Mesos fields they set: the executor's command from an
 * installed home (run for real by {@code /bin/sh}, in a path that needs quoting), its CNI
 * {@code NetworkInfo}, and the framework's {@code GPU_RESOURCES} capability.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MesosLaunchMappingTest {

  @TempDir Path dir;

  /** Runs the executor's command as an agent would: {@code /bin/sh -c}, in a sandbox. */
  private Process run(CommandInfo command) throws Exception {
    Path sandbox = Files.createDirectories(dir.resolve("sandbox"));
    return new ProcessBuilder("/bin/sh", "-c", command.getValue()).directory(sandbox.toFile()).start();
  }

  @Test
  void anInstalledHomeRunsItsLauncherFromThatDirectoryFetchingOnlyTheExtraUris() throws Exception {
    Path home = Files.createDirectories(dir.resolve("it's a \"home\" with $HOME and `spaces`"));
    Path bin = Files.createDirectories(home.resolve("bin"));
    Files.writeString(bin.resolve("ferry-executor"), "#!/bin/sh\necho \"ran in $(pwd)\"\n");
    bin.resolve("ferry-executor").toFile().setExecutable(true);
    ExecutorInfo info = executor(conf("ferry.mesos.executor.home", home.toString(),
        "ferry.mesos.uris", "http://repo/app.conf"));

    assertThat(info.hasContainer()).isFalse();
    assertThat(info.getCommand().getShell()).isTrue();
    assertThat(info.getCommand().getUrisList()).extracting(CommandInfo.URI::getValue)
        .as("no archive; ferry.mesos.uris stay").containsExactly("http://repo/app.conf");
    Process p = run(info.getCommand());
    assertThat(p.waitFor()).isZero();
    assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("ran in " + home.toRealPath() + "\n");
  }

  @Test
  void anInstalledHomeWithoutTheLauncherSaysSoAndExitsWithTheNoLauncherStatus() throws Exception {
    Path home = Files.createDirectories(dir.resolve("empty home"));
    Files.writeString(home.resolve("README"), "not Ferry");
    ExecutorInfo info = executor(conf("ferry.mesos.executor.home", home.toString()));

    Process p = run(info.getCommand());
    assertThat(p.waitFor()).isEqualTo(ExecutorSpec.NO_LAUNCHER_EXIT_STATUS);
    assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
        .startsWith("ferry: no " + home + "/bin/ferry-executor on this agent: ferry.mesos.executor.home names no"
            + " Ferry distribution installed here")
        .contains("the directory holds: README");
    assertThat(MissingLauncher.message(MesosBackend.executorSpec(conf("ferry.mesos.executor.home",
        home.toString())), "S1"))
        .startsWith("ferry.mesos.executor.home " + home + " holds no bin/ferry-executor on agent S1")
        .doesNotContain("\n");
  }

  @Test
  void whenTheUriIsSetTooTheUriWinsAndTheDriverSaysSo() {
    try (LogCapture log = new LogCapture()) {
      ExecutorInfo info = executor(conf("ferry.mesos.executor.home", "/opt/ferry",
          "ferry.executor.uri", "hdfs://nn/ferry/ferry-0.1.0-bin.tgz"));
      assertThat(info.getCommand().getValue()).contains("cd ferry-0.1.0-bin && exec ./bin/ferry-executor")
          .doesNotContain("/opt/ferry");
      assertThat(info.getCommand().getUrisList()).extracting(CommandInfo.URI::getValue)
          .containsExactly("hdfs://nn/ferry/ferry-0.1.0-bin.tgz");
      assertThat(log.linesContaining("the URI wins, as in Spark")).singleElement().asString()
          .contains("hdfs://nn/ferry/ferry-0.1.0-bin.tgz").contains("/opt/ferry");
    }
  }

  @Test
  void aNetworkIsOneNetworkInfoInAMesosContainerAlsoWithAnImage() {
    ExecutorInfo plain = executor(conf("ferry.executor.uri", "hdfs://nn/ferry/ferry-0.1.0-bin.tgz",
        "ferry.mesos.network.name", "overlay-1", "ferry.mesos.network.labels", "rack:r1,zone:z\\:2"));
    assertThat(plain.getContainer().getType()).isEqualTo(ContainerInfo.Type.MESOS);
    assertThat(plain.getContainer().getMesos().hasImage()).isFalse();
    NetworkInfo network = plain.getContainer().getNetworkInfosList().get(0);
    assertThat(plain.getContainer().getNetworkInfosCount()).isEqualTo(1);
    assertThat(network.getName()).isEqualTo("overlay-1");
    assertThat(network.getLabels().getLabelsList()).extracting(l -> l.getKey() + "=" + l.getValue())
        .containsExactly("rack=r1", "zone=z:2");

    ExecutorInfo inImage = executor(conf("ferry.mesos.executor.docker.image", "ferry:0.1.0",
        "ferry.mesos.network.name", "overlay-1"));
    assertThat(inImage.getContainer().getMesos().getImage().getDocker().getName()).isEqualTo("ferry:0.1.0");
    assertThat(inImage.getContainer().getNetworkInfosList()).singleElement()
        .satisfies(n -> assertThat(n.getName()).isEqualTo("overlay-1"))
        .satisfies(n -> assertThat(n.hasLabels()).isFalse());

    assertThat(executor(conf("ferry.executor.uri", "hdfs://nn/ferry/ferry-0.1.0-bin.tgz")).hasContainer())
        .as("no network, no image: no container").isFalse();
  }

  @Test
  void theGpuCapabilityIsAskedForOnlyWithAGpuCap() {
    FrameworkInfo without = FrameworkInfoFactory.create(SchedulerLinkConfig.builder(
        conf("ferry.executor.uri", "hdfs://nn/ferry/ferry-0.1.0-bin.tgz")).build(), null);
    FrameworkInfo with = FrameworkInfoFactory.create(SchedulerLinkConfig.builder(
        conf("ferry.executor.uri", "hdfs://nn/ferry/ferry-0.1.0-bin.tgz", "ferry.mesos.gpus.max", "1")).build(), null);
    assertThat(without.getCapabilitiesList()).extracting(FrameworkInfo.Capability::getType)
        .doesNotContain(FrameworkInfo.Capability.Type.GPU_RESOURCES);
    assertThat(with.getCapabilitiesList()).extracting(FrameworkInfo.Capability::getType)
        .contains(FrameworkInfo.Capability.Type.GPU_RESOURCES);
  }
}
