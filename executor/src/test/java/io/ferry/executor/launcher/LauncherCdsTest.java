package io.ferry.executor.launcher;

import static io.ferry.executor.testing.MesosLocalFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.executor.testing.FakeDriver;
import io.ferry.executor.testing.MesosLocalFixture;
import io.ferry.executor.testing.TestTasks;
import io.ferry.mesos.local.Await;
import io.ferry.mesos.local.agent.AgentCore;
import io.ferry.rpc.PeerConnection;
import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.Mode;
import io.ferry.rpc.proto.TaskResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/ferry-executor's class data sharing archive, with the real launcher under mesos-local's
 * agent (the agent's `cd <home> && exec ./bin/ferry-executor`) and a real driver link: the first
 * start writes the archive when it ends cleanly, the next one maps it; a truncated archive, a stale
 * one and two first starts at once never fail a start.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LauncherCdsTest {
  @TempDir static Path shared;
  static Path home;

  @TempDir Path work;

  @BeforeAll
  static void distribution() throws IOException {
    home = LauncherHome.build(shared.resolve("ferry-home"));
  }

  @Test
  void theFirstStartWritesTheArchiveAndTheNextStartMapsIt() throws Exception {
    Path cache = work.resolve("cache");
    String first = runJob(cache, "e1", "");
    assertThat(first).contains("class data sharing: wrote " + cache);
    Path archive = onlyArchive(cache);
    assertThat(Files.getPosixFilePermissions(archive)).isEqualTo(PosixFilePermissions.fromString("r--------"));
    assertThat(archive.getFileName().toString()).endsWith("." + Files.size(archive) + ".jsa");
    assertThat(leftovers(cache)).isEmpty();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rwx------");

    Path classes = work.resolve("classes.log");
    String second = runJob(cache, "e2", "-Xlog:class+load=info:file=" + classes);
    assertThat(second).doesNotContain("class data sharing").doesNotContain("Unable to use shared archive");
    assertThat(Files.readAllLines(classes)).anyMatch(
        line -> line.contains("io.ferry.executor.FerryExecutor ") && line.contains("shared objects file (top)"));
    assertThat(onlyArchive(cache)).isEqualTo(archive);
  }

  @Test
  void aTruncatedArchiveIsIgnoredWithOneLineAndMadeAgain() throws Exception {
    Path cache = work.resolve("cache");
    runJob(cache, "e1", "");
    Path archive = onlyArchive(cache);
    byte[] whole = Files.readAllBytes(archive);
    Files.delete(archive);
    Files.write(archive, java.util.Arrays.copyOf(whole, whole.length / 2)); // mapped, it would crash the JVM

    String second = runJob(cache, "e2", "");
    assertThat(second.lines().filter(l -> l.contains("class data sharing: ignoring")).toList()).hasSize(1);
    assertThat(second).contains("class data sharing: wrote");
    // Whole again (two dumps of the same classes differ in size, so the size is checked by its name).
    Path again = onlyArchive(cache);
    assertThat(again.getFileName().toString()).endsWith("." + Files.size(again) + ".jsa");
    assertThat(Files.size(again)).isGreaterThan(whole.length / 2);
  }

  @Test
  void aStaleArchiveCostsOneLineNotTheStart() throws Exception {
    Path cache = work.resolve("cache");
    Path stale = work.resolve("stale-home");
    copyTree(home, stale);
    runJob(stale, cache, "e1", "");
    Path archive = onlyArchive(cache);
    // A jar the archive was made from is another file now (CDS compares size and mtime).
    try (Stream<Path> jars = Files.list(stale.resolve("lib"))) {
      Path jar = jars.filter(j -> j.getFileName().toString().contains("ferry-executor")
          || j.getFileName().toString().contains("classes")).sorted().findFirst().orElseThrow();
      Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
    }
    String second = runJob(stale, cache, "e2", "");
    assertThat(second.lines().filter(l -> l.contains("Unable to use shared archive")).toList()).hasSize(1);
    assertThat(onlyArchive(cache)).isEqualTo(archive);
  }

  @Test
  void theArchiveIsKeyedByReleasesDistributionIdElseByItsChecksum() throws Exception {
    Path cache = work.resolve("cache");
    Path withId = work.resolve("id-home");
    copyTree(home, withId);
    // As make-distribution.sh writes it: read by the launcher without running a program.
    Files.writeString(withId.resolve("RELEASE"), "Ferry test\nDistribution id: 0123456789abcdef\nFiles (sha256):\n");
    runJob(withId, cache, "e1", "");
    assertThat(onlyArchive(cache).getFileName().toString()).startsWith("executor-0123456789abcdef-");

    Path other = work.resolve("cache-2");
    runJob(home, other, "e2", ""); // LauncherHome's RELEASE has no id line: cksum names it
    assertThat(onlyArchive(other).getFileName().toString()).matches("executor-[0-9]+-.*\\.[0-9]+\\.jsa");
  }

  @Test
  void aCacheDirectoryOthersCanWriteToIsRefusedWithOneLine() throws Exception {
    Path cache = Files.createDirectories(work.resolve("open-cache"));
    Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
    String stderr = runJob(cache, "e1", "");
    assertThat(stderr.lines().filter(l -> l.contains("class data sharing: off:")).toList()).singleElement()
        .asString().contains("is writable by other users (mode 777)");
    try (Stream<Path> files = Files.list(cache)) {
      assertThat(files.toList()).isEmpty();
    }
  }

  @Test
  void twoFirstStartsAtOnceLeaveOneWholeArchive() throws Exception {
    Path cache = work.resolve("cache");
    try (MesosLocalFixture mesos = new MesosLocalFixture(MesosLocalFixture.settings(work), work);
        FakeDriver driver = FakeDriver.start(List.of())) {
      mesos.subscribe(true);
      ExecutorInfo a = executor(home, "a", cache, "");
      ExecutorInfo b = executor(home, "b", cache, "");
      mesos.launch(task("ta", a, mesos, driver), task("tb", b, mesos, driver));
      List<PeerConnection> peers = new ArrayList<>();
      peers.add(driver.peer(WAIT));
      peers.add(driver.peer(WAIT));
      for (int i = 0; i < 2; i++) {
        String mesosTaskId = driver.next(WAIT, Frame::hasFetchTask).getFetchTask().getMesosTaskId();
        PeerConnection peer = peers.stream().filter(p -> p.executorId().equals(mesosTaskId.equals("ta") ? "a" : "b"))
            .findFirst().orElseThrow();
        runEcho(driver, peer, i + 1, mesosTaskId);
        mesos.update(mesosTaskId, TaskState.TASK_FINISHED);
      }
      for (PeerConnection peer : peers) {
        peer.close("the application is done");
      }
      Await.until(WAIT, "both executors to take the goodbye", () -> {
        String stderr = mesos.sandboxStderr();
        return stderr.contains("[executor=a] the driver at") && stderr.contains("[executor=b] the driver at");
      });
      mesos.teardown();
      assertThat(exitOf(mesos, "a")).as(mesos.sandboxStderr()).hasValue(0);
      assertThat(exitOf(mesos, "b")).as(mesos.sandboxStderr()).hasValue(0);
      String stderr = mesos.sandboxStderr();
      assertThat(stderr.split("class data sharing: wrote", -1)).as(stderr).hasSize(2);
    }
    onlyArchive(cache);
    assertThat(leftovers(cache)).isEmpty();
  }

  /**
   * The window twoFirstStartsAtOnceLeaveOneWholeArchive hits only sometimes, made certain: another
   * first start renames its archive into place and drops its claim after this start looked for an
   * archive and before it claimed. This start must map that archive, not write a second one.
   */
  @Test
  void anArchiveThatAppearsJustBeforeTheClaimIsMappedNotMadeAgain() throws Exception {
    Path cache = Files.createDirectories(work.resolve("cache"));
    Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwx------"));
    String script = String.join("\n",
        "set -u",
        ". bin/ferry-common.sh",
        "ferry_setup \"$PWD/bin/ferry-executor\"",
        ". bin/ferry-executor-cds.sh",
        "eval \"ferry_cds_claim_now()$(declare -f ferry_cds_claim | tail -n +2)\"",
        "ferry_cds_claim() {",
        "  printf x > \"$FERRY_CDS_DIR/$FERRY_CDS_KEY.1.jsa\" && chmod 0400 \"$FERRY_CDS_DIR/$FERRY_CDS_KEY.1.jsa\"",
        "  ferry_cds_claim_now",
        "}",
        "ferry_cds_setup",
        "echo \"flags=${FERRY_CDS_FLAGS[*]}\"",
        "echo \"create=$FERRY_CDS_CREATE\"");
    ProcessBuilder bash = new ProcessBuilder("bash", "-c", script).directory(home.toFile()).redirectErrorStream(true);
    bash.environment().put("JAVA_HOME", System.getProperty("java.home"));
    bash.environment().put("FERRY_EXECUTOR_CDS_DIR", cache.toString());
    bash.environment().put("MESOS_AGENT_ENDPOINT", "127.0.0.1:5051");
    bash.environment().put("MESOS_EXECUTOR_ID", "e1");
    Process process = bash.start();
    String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    Path archive = onlyArchive(cache);
    assertThat(out.lines().toList()).as(out).containsExactly("flags=-XX:SharedArchiveFile=" + archive, "create=");
    assertThat(leftovers(cache)).as("no claim left behind").isEmpty();
  }

  /** A fine-mode job of one task to its clean end; returns the sandbox's stderr. */
  private String runJob(Path cache, String executorId, String javaOpts) throws Exception {
    return runJob(home, cache, executorId, javaOpts);
  }

  private String runJob(Path ferryHome, Path cache, String executorId, String javaOpts) throws Exception {
    Path run = Files.createDirectories(work.resolve("run-" + executorId));
    try (MesosLocalFixture mesos = new MesosLocalFixture(MesosLocalFixture.settings(run), run);
        FakeDriver driver = FakeDriver.start(List.of())) {
      mesos.subscribe(true);
      ExecutorInfo executor = executor(ferryHome, executorId, cache, javaOpts);
      mesos.launch(task("t1", executor, mesos, driver));
      PeerConnection peer = driver.peer(WAIT);
      driver.next(WAIT, Frame::hasFetchTask);
      runEcho(driver, peer, 1, "t1");
      mesos.update("t1", TaskState.TASK_FINISHED);
      peer.close("the application is done");
      Await.until(WAIT, "the executor to take the goodbye", () -> mesos.sandboxStderr().contains("said goodbye"));
      mesos.teardown();
      assertThat(exitOf(mesos, executorId)).as("exit status 0; stderr:\n%s", mesos.sandboxStderr()).hasValue(0);
      return mesos.sandboxStderr() + stdout(run);
    }
  }

  private static ExecutorInfo executor(Path ferryHome, String id, Path cache, String javaOpts) {
    Environment.Builder env = Environment.newBuilder();
    variable(env, "JAVA_HOME", System.getProperty("java.home"));
    variable(env, "FERRY_EXECUTOR_MEMORY", "64m");
    variable(env, "FERRY_EXECUTOR_CDS_DIR", cache.toString());
    variable(env, "FERRY_EXECUTOR_JAVA_OPTS", javaOpts);
    return ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue(id))
        .setCommand(CommandInfo.newBuilder().setValue("cd '" + ferryHome + "' && exec ./bin/ferry-executor")
            .setEnvironment(env))
        .addResources(MesosLocalFixture.scalar("cpus", 0.1)).addResources(MesosLocalFixture.scalar("mem", 64)).build();
  }

  private static void variable(Environment.Builder env, String name, String value) {
    env.addVariables(Environment.Variable.newBuilder().setName(name).setValue(value));
  }

  private static TaskInfo task(String id, ExecutorInfo executor, MesosLocalFixture mesos, FakeDriver driver) {
    return MesosLocalFixture.task(id, executor, mesos.offer,
        driver.launchRecord(executor.getExecutorId().getValue(), Mode.FINE).toByteString());
  }

  private static void runEcho(FakeDriver driver, PeerConnection peer, long id, String mesosTaskId) throws Exception {
    peer.send(FakeDriver.runTask(id, mesosTaskId, new TestTasks.Echo("hi")));
    TaskResult result = driver.next(WAIT, Frame::hasTaskResult).getTaskResult();
    assertThat(result.getOutcome()).as(result.getMessage()).isEqualTo(TaskResult.Outcome.SUCCESS);
  }

  private static Optional<Integer> exitOf(MesosLocalFixture mesos, String executorId) throws Exception {
    List<Optional<AgentCore.ExecutorExit>> exit = new ArrayList<>(List.of(Optional.empty()));
    Await.until(WAIT, "the agent to see executor " + executorId + " exit", () -> {
      exit.set(0, mesos.cluster.agents().get(0).executorExits().stream()
          .filter(x -> x.executorId().equals(executorId)).findFirst());
      return exit.get(0).isPresent();
    });
    return exit.get(0).get().waitStatus();
  }

  private static Path onlyArchive(Path cache) throws IOException {
    try (Stream<Path> files = Files.list(cache)) {
      List<Path> archives = files.filter(f -> f.getFileName().toString().endsWith(".jsa")).toList();
      assertThat(archives).as("archives in %s", cache).hasSize(1);
      return archives.get(0);
    }
  }

  private static List<Path> leftovers(Path cache) throws IOException {
    try (Stream<Path> files = Files.list(cache)) {
      return files.filter(f -> !f.getFileName().toString().endsWith(".jsa")).toList();
    }
  }

  private static String stdout(Path run) throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(run.resolve("cluster"))) {
      for (Path f : files.filter(p -> p.getFileName().toString().equals("stdout") && Files.isRegularFile(p)).toList()) {
        all.append(Files.readString(f));
      }
    }
    return all.toString();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
