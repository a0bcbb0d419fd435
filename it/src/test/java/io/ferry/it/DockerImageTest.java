package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.it.jobs.WhereTasksRun;
import io.ferry.it.support.Await;
import io.ferry.it.support.ChildProcess;
import io.ferry.it.support.Distribution;
import io.ferry.it.support.JobSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ferry's image with real Docker: built from {@code dist/} on a local base
 * ({@code scripts/docker-build.sh --local-base}), then used as a client ({@code ferry-submit} in
 * the image against {@code local-cluster}) and as the executors' image
 * ({@code ferry.mesos.executor.docker.image}: mesos-local runs them with {@code docker run}).
 *
 * <p>Only with {@code FERRY_DOCKER_TESTS=1}, which {@code .ci/run} sets when it could install
 * docker.io, start its own dockerd ({@code DOCKER_HOST}, no bridge: containers use the host's
 * network only) and build the base image.
 */
@EnabledIfEnvironmentVariable(named = "FERRY_DOCKER_TESTS", matches = "1")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(600)
class DockerImageTest {

  static final String IMAGE = "ferry:it-docker-image-test";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) static Path shared;
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  @BeforeAll
  static void buildTheImage() throws Exception {
    Path script = Distribution.projectRoot().resolve("scripts/docker-build.sh");
    ChildProcess.Result build = ChildProcess.run(shared.resolve("docker-build.log"), Map.of(), Duration.ofMinutes(8),
        List.of(script.toString(), "--local-base", "--tag", IMAGE));
    assertThat(build.exitCode()).as(build.output()).isZero();
    assertThat(build.output()).contains("docker build: ");
  }

  @AfterAll
  static void removeTheImage() throws Exception {
    docker("rm", "-f", "ferry-it-client");
    // Whatever a failed test left behind: no container of ours outlives the class.
    for (String id : executorContainers()) {
      docker("rm", "-f", id);
    }
    docker("image", "rm", "-f", IMAGE);
  }

  static ChildProcess.Result docker(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    return ChildProcess.run(Files.createTempFile("ferry-it-docker-", ".log"), Map.of(), Duration.ofMinutes(2), command);
  }

  /** IDs of every container, running or not, that mesos-local started from the image. */
  static List<String> executorContainers() throws Exception {
    ChildProcess.Result ps = docker("ps", "-a", "-q", "--filter", "label=io.ferry.mesos-local.agent",
        "--filter", "ancestor=" + IMAGE);
    assertThat(ps.exitCode()).as(ps.output()).isZero();
    return ps.output().lines().filter(l -> !l.isBlank()).toList();
  }

  @Test
  @Order(1)
  void theImageCarriesItsVersionRevisionAndAUserOtherThanRoot() throws Exception {
    Distribution dist = Distribution.locate();
    ChildProcess.Result labels = docker("image", "inspect", "--format",
        "{{index .Config.Labels \"org.opencontainers.image.version\"}} {{index .Config.Labels"
            + " \"org.opencontainers.image.revision\"}} {{.Config.User}} {{.Config.WorkingDir}}|", IMAGE);
    String release = Files.readString(dist.root().resolve("RELEASE"));
    String revision = release.lines().filter(l -> l.startsWith("Git revision: ")).findFirst().orElseThrow()
        .substring("Git revision: ".length());
    assertThat(labels.output().strip()).isEqualTo(dist.version() + " " + revision + " ferry |");
  }

  @Test
  @Order(2)
  void piWithFerrySubmitInsideTheClientImageAgainstLocalCluster() throws Exception {
    // The archive where the image's user (not root) may read it, mounted read-only at the same path.
    Path archives = Files.createDirectories(dir.resolve("readable"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(archives, PosixFilePermissions.fromString("rwxr-xr-x"));
    Distribution dist = Distribution.locate();
    Path archive = dist.buildArchive(archives);
    Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rw-r--r--"));
    ChildProcess.Result pi = docker("run", "--rm", "--name", "ferry-it-client", "--network", "host",
        "--mount", "type=bind,src=" + archives + ",dst=" + archives + ",readonly", IMAGE,
        "ferry-submit", "--master", "local-cluster[1,2,1024]", "--executor-uri", Distribution.fileUri(archive),
        "--class", "io.ferry.examples.Pi", "/opt/ferry/examples/ferry-examples-" + dist.version() + ".jar", "4");
    assertThat(pi.exitCode()).as(pi.output()).isZero();
    assertThat(pi.output()).containsPattern("Pi is roughly 3\\.1");
  }

  @Test
  @Order(3)
  void executorsRunInsideContainersOfTheImage() throws Exception {
    JobSetup job = JobSetup.in(dir);
    ChildProcess.Result run = ChildProcess.run(dir.resolve("driver.log"),
        Map.of("JAVA_HOME", System.getProperty("java.home")), Duration.ofMinutes(5), List.of(
            job.dist().bin("ferry-submit").toString(), "--master", "local-cluster[1,2,1024]",
            "--conf", "ferry.mesos.executor.docker.image=" + IMAGE,
            "--conf", "ferry.local.dir=" + dir.resolve("work"),
            "--class", "io.ferry.it.jobs.WhereTasksRun", job.appJar().toString(), "2", "0"));
    assertThat(run.exitCode()).as(run.output()).isZero();
    List<String> where = run.output().lines().filter(l -> l.startsWith("WhereTasksRun: pidns=")).toList();
    assertThat(where).as(run.output()).hasSize(2);
    String hostNamespace = WhereTasksRun.pidNamespace();
    for (String line : where) {
      assertThat(line).as("not this host's PID namespace: in a container").doesNotContain("pidns=" + hostNamespace + " ")
          .contains(" sandbox=/mnt/mesos/sandbox home=/opt/ferry cwd=/mnt/mesos/sandbox");
    }
    Await.until(Duration.ofSeconds(30), "the job's containers to be removed", () -> executorContainers().isEmpty());
  }

  @Test
  @Order(4)
  void killingTheDriverLeavesNoContainer() throws Exception {
    JobSetup job = JobSetup.in(dir);
    // Ferry's INFO (ferry-submit shows WARN by default): the line that says the executor holds the link.
    try (ChildProcess driver = ChildProcess.start(dir.resolve("driver.log"),
        Map.of("JAVA_HOME", System.getProperty("java.home"),
            "FERRY_JAVA_OPTS", "-Dorg.slf4j.simpleLogger.log.io.ferry=info"), List.of(
            job.dist().bin("ferry-submit").toString(), "--master", "local-cluster[1,2,1024]",
            "--conf", "ferry.mesos.executor.docker.image=" + IMAGE,
            "--conf", "ferry.local.dir=" + dir.resolve("work"),
            "--conf", "ferry.rpc.heartbeatInterval=1s", "--conf", "ferry.rpc.heartbeatTimeout=3s",
            "--class", "io.ferry.it.jobs.WhereTasksRun", job.appJar().toString(), "1", "600000"))) {
      // Killed once the executor in its container holds the driver link (its task is running):
      // the executor then notices the driver's loss on its own, exits, and its container goes
      // (--rm). Before that link, an executor of a checkpointing framework whose agent died waits
      // for the agent's recovery (MESOS_RECOVERY_TIMEOUT, 15 min), as on Mesos.
      driver.awaitLine(Pattern.compile("\\[executor=[^\\]]+\\] authenticated from"), Duration.ofSeconds(120));
      assertThat(executorContainers()).as("the executor runs in a container of the image").hasSize(1);
      driver.kill9();
      Await.until(Duration.ofSeconds(60), "no executor container left after kill -9 of the driver",
          () -> executorContainers().isEmpty());
    }
  }
}
