package io.ferry.mesos.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.mesos.local.Await;
import io.ferry.mesos.local.LocalCluster;
import io.ferry.mesos.local.user.UnixAccount;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mesos's {@code --switch_user} on an agent running as root (as the tests and CI do): the fetch
 * and the executor run as {@code FrameworkInfo.user}, here {@code nobody} (present on every
 * Debian), so a task gets only files its user may read and cannot act as root.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SwitchUserTest {

  private static final String USER = "nobody";

  @TempDir Path tmp;

  private Path work;
  private UnixAccount nobody;

  @BeforeAll
  static void asRoot() {
    assumeTrue(UnixAccount.runningAsRoot(), "switching users needs an agent running as root");
  }

  @BeforeEach
  void setUp() throws Exception {
    nobody = UnixAccount.lookup(USER).orElseThrow(() -> new AssertionError("no user " + USER));
    // A real agent's work directory is searchable by the users it runs tasks as.
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    work = tmp.resolve("cluster");
  }

  private LocalCluster cluster() throws Exception {
    return LocalCluster.start(LocalCluster.Settings.parse("local-cluster[1,2,1024]", work)
        .withAllocationInterval(Duration.ofMillis(100)));
  }

  @Test
  void aRootOnlyFileIsNotFetchedForTheTasksUser() throws Exception {
    Path secret = Files.writeString(tmp.resolve("secret.txt"), "root only\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    String uri = secret.toUri().toString();
    try (LocalCluster cluster = cluster(); OneTask framework = OneTask.subscribe(cluster, USER)) {
      framework.launch(OneTask.command("t", "cat secret.txt", uri));
      TaskStatus status = framework.awaitTerminal(Duration.ofSeconds(60));

      assertThat(status.getState()).isEqualTo(TaskState.TASK_FAILED);
      assertThat(status.getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
      assertThat(status.getMessage()).isEqualTo("Failed to launch container: Failed to fetch '" + uri
          + "': permission denied reading '" + secret + "' as user 'nobody'");
    }
    assertThat(find(work, "secret.txt")).isEmpty();
  }

  @Test
  void aReadableFileIsFetchedOwnedByTheUserAndTheCommandRunsAsTheUser() throws Exception {
    Path shared = Files.writeString(tmp.resolve("shared.txt"), "for everyone\n");
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r--r--"));
    try (LocalCluster cluster = cluster(); OneTask framework = OneTask.subscribe(cluster, USER)) {
      framework.launch(OneTask.command("t", "id -u > uid.txt && cat shared.txt", shared.toUri().toString()));
      TaskStatus status = framework.awaitTerminal(Duration.ofSeconds(60));

      assertThat(status.getState()).as(status.getMessage()).isEqualTo(TaskState.TASK_FINISHED);
    }
    Path fetched = find(work, "shared.txt").orElseThrow();
    Path sandbox = fetched.getParent();
    assertThat(Files.readString(sandbox.resolve("uid.txt")).strip()).isEqualTo(Integer.toString(nobody.uid()));
    assertThat(Files.readString(sandbox.resolve("stdout"))).contains("for everyone");
    assertThat(uid(fetched)).isEqualTo(nobody.uid());
    assertThat(uid(sandbox)).isEqualTo(nobody.uid());
    assertThat(uid(sandbox.resolve("stderr"))).isEqualTo(nobody.uid());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sandbox))).isEqualTo("rwxr-x---");
  }

  @Test
  void aCustomExecutorProcessRunsWithTheUsersUid() throws Exception {
    Path sandboxes = work.resolve("agent-0");
    long pid;
    try (LocalCluster cluster = cluster(); OneTask framework = OneTask.subscribe(cluster, USER)) {
      framework.launch(OneTask.withExecutor("t", "echo $$ > pid.tmp && mv pid.tmp pid && exec sleep 300"));
      Await.until(Duration.ofSeconds(30), "the executor to write its pid", () -> find(sandboxes, "pid").isPresent());
      pid = Long.parseLong(Files.readString(find(sandboxes, "pid").orElseThrow()).strip());

      List<String> status = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
      String id = Integer.toString(nobody.uid());
      String gid = Integer.toString(nobody.gid());
      assertThat(status).contains("Uid:\t" + id + "\t" + id + "\t" + id + "\t" + id)
          .contains("Gid:\t" + gid + "\t" + gid + "\t" + gid + "\t" + gid);
    }
    // Closing the cluster kills what it started, switched or not.
    Await.until(Duration.ofSeconds(20), "the executor to be gone",
        () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
  }

  @Test
  void anUnknownUserFailsTheTaskSayingSo() throws Exception {
    try (LocalCluster cluster = cluster(); OneTask framework = OneTask.subscribe(cluster, "ferry-no-such-user")) {
      framework.launch(OneTask.command("t", "true"));
      TaskStatus status = framework.awaitTerminal(Duration.ofSeconds(60));

      assertThat(status.getState()).isEqualTo(TaskState.TASK_FAILED);
      assertThat(status.getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
      assertThat(status.getMessage()).startsWith("Failed to launch container: the task's user"
          + " 'ferry-no-such-user' does not exist on this agent;");
    }
  }

  @Test
  void aWorkDirectoryTheUserCannotReachFailsTheTaskNamingIt() throws Exception {
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
    try (LocalCluster cluster = cluster(); OneTask framework = OneTask.subscribe(cluster, USER)) {
      framework.launch(OneTask.command("t", "true"));
      TaskStatus status = framework.awaitTerminal(Duration.ofSeconds(60));

      assertThat(status.getState()).isEqualTo(TaskState.TASK_FAILED);
      assertThat(status.getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
      assertThat(status.getMessage()).startsWith("Failed to launch container: the task's user 'nobody' cannot reach ")
          .contains(tmp + " is mode rwx------");
    }
  }

  @Test
  void withSwitchUserOffTasksRunAsTheAgentsUser() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(LocalCluster.Settings.parse("local-cluster[1,2,1024]", work)
        .withAllocationInterval(Duration.ofMillis(100)).withSwitchUser(false));
        OneTask framework = OneTask.subscribe(cluster, USER)) {
      framework.launch(OneTask.command("t", "id -u > uid.txt"));
      assertThat(framework.awaitTerminal(Duration.ofSeconds(60)).getState()).isEqualTo(TaskState.TASK_FINISHED);
    }
    assertThat(Files.readString(find(work, "uid.txt").orElseThrow()).strip()).isEqualTo("0");
  }

  private static int uid(Path p) throws Exception {
    return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
  }

  private static Optional<Path> find(Path root, String name) throws Exception {
    if (!Files.exists(root)) {
      return Optional.empty();
    }
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(p -> p.getFileName().toString().equals(name) && !p.toString().contains("/libexec/"))
          .filter(p -> !Files.isSymbolicLink(p.getParent())).findFirst();
    }
  }
}
