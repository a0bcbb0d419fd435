package io.ferry.mesos.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mesos.ContentType;
import io.ferry.mesos.local.Await;
import io.ferry.mesos.local.LocalCluster;
import io.ferry.mesos.local.agent.AgentCore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.DurationInfo;
import org.apache.mesos.v1.Protos.Environment;
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

/**
 * A framework's end as Mesos's master and agent do it (master.cpp removeFramework, slave.cpp
 * shutdownFramework / _shutdownExecutor / shutdownExecutorTimeout): every agent is told, every
 * executor of the framework gets SHUTDOWN, and one still there after its grace period is destroyed
 * with its whole session. Processes are found by the PIDs they write into their sandboxes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TeardownTest {

  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path work;

  private LocalCluster start() throws Exception {
    return LocalCluster.start(LocalCluster.Settings.parse("local-cluster[1,2,1024]", work.resolve("cluster"))
        .withAllocationInterval(Duration.ofMillis(100)));
  }

  private static void launch(RawScheduler scheduler, Offer offer, TaskInfo.Builder task) throws Exception {
    task.setAgentId(offer.getAgentId()).addResources(LocalClusterTest.scalar("cpus", 0.5))
        .addResources(LocalClusterTest.scalar("mem", 64));
    assertThat(scheduler.call(scheduler.callOf(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
        .addOfferIds(offer.getId()).addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
            .setLaunch(Offer.Operation.Launch.newBuilder().addTaskInfos(task)))).build()).statusCode()).isEqualTo(202);
  }

  /** Acknowledges every update until the task's terminal one, which is returned. */
  private static TaskStatus untilTerminal(RawScheduler scheduler, String taskId) throws Exception {
    while (true) {
      TaskStatus status = scheduler.next(WAIT, e -> e.getType() == Event.Type.UPDATE).getUpdate().getStatus();
      assertThat(scheduler.call(scheduler.callOf(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
          .setAgentId(status.getAgentId()).setTaskId(status.getTaskId()).setUuid(status.getUuid())).build())
          .statusCode()).isEqualTo(202);
      if (status.getTaskId().getValue().equals(taskId) && status.getState() != TaskState.TASK_STARTING
          && status.getState() != TaskState.TASK_RUNNING) {
        return status;
      }
    }
  }

  /** The PID a process wrote into {@code name} somewhere under the cluster's work directory. */
  private long pidFile(String name) throws Exception {
    Path[] found = new Path[1];
    Await.until(WAIT, name + " to be written", () -> {
      try (Stream<Path> files = Files.walk(work.resolve("cluster"))) {
        found[0] = files.filter(p -> p.getFileName().toString().equals(name)).findFirst().orElse(null);
      }
      return found[0] != null && Files.readString(found[0]).trim().matches("[0-9]+");
    });
    return Long.parseLong(Files.readString(found[0]).trim());
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Test
  void aFinishedCommandTasksExecutorIsGoneAfterTeardown() throws Exception {
    try (LocalCluster cluster = start(); RawScheduler scheduler = new RawScheduler(cluster.masterUrl())) {
      assertThat(scheduler.subscribe(LocalClusterTest.framework(), ContentType.JSON)).isEqualTo(200);
      Offer offer = scheduler.next(WAIT, e -> e.getType() == Event.Type.OFFERS).getOffers().getOffers(0);
      // The command's parent is the command executor's JVM.
      launch(scheduler, offer, TaskInfo.newBuilder().setName("echo").setTaskId(TaskID.newBuilder().setValue("echo"))
          .setCommand(CommandInfo.newBuilder().setValue("echo $PPID > executor.pid")));
      assertThat(untilTerminal(scheduler, "echo").getState()).isEqualTo(TaskState.TASK_FINISHED);
      long executor = pidFile("executor.pid");

      assertThat(scheduler.call(scheduler.callOf(Call.Type.TEARDOWN).build()).statusCode()).isEqualTo(202);
      Await.until(WAIT, "command executor " + executor + " to exit", () -> !alive(executor));
      AgentCore.ExecutorExit exit = awaitExit(cluster, "echo");
      assertThat(exit.commandExecutor()).isTrue();
      assertThat(exit.waitStatus()).as("a clean exit").hasValue(0);
    }
  }

  @Test
  void anExecutorIgnoringShutdownIsKilledWithItsSessionAfterTheGracePeriod() throws Exception {
    try (LocalCluster cluster = start(); RawScheduler scheduler = new RawScheduler(cluster.masterUrl())) {
      assertThat(scheduler.subscribe(LocalClusterTest.framework(), ContentType.JSON)).isEqualTo(200);
      Offer offer = scheduler.next(WAIT, e -> e.getType() == Event.Type.OFFERS).getOffers().getOffers(0);
      ExecutorInfo trivial = LocalClusterTest.trivialExecutor("stubborn");
      // A process left behind: its parent (the subshell) exits at once, so it is no longer in the
      // executor's process tree, only in its session. Then the executor, which ignores SHUTDOWN.
      String command = "(sleep 600 & echo $! > orphan.pid); echo $$ > executor.pid; "
          + trivial.getCommand().getValue();
      ExecutorInfo stubborn = trivial.toBuilder()
          .setCommand(CommandInfo.newBuilder().setValue(command).setEnvironment(Environment.newBuilder()
              .addVariables(Environment.Variable.newBuilder().setName("TRIVIAL_IGNORE_SHUTDOWN").setValue("1"))))
          .setShutdownGracePeriod(DurationInfo.newBuilder().setNanoseconds(TimeUnit.SECONDS.toNanos(2))).build();
      launch(scheduler, offer, TaskInfo.newBuilder().setName("t1").setTaskId(TaskID.newBuilder().setValue("t1"))
          .setExecutor(stubborn));
      assertThat(untilTerminal(scheduler, "t1").getState()).isEqualTo(TaskState.TASK_FINISHED);
      long executor = pidFile("executor.pid");
      long orphan = pidFile("orphan.pid");
      assertThat(alive(executor)).isTrue();
      assertThat(alive(orphan)).isTrue();
      assertThat(ProcessHandle.of(executor).orElseThrow().descendants().map(ProcessHandle::pid))
          .as("the orphan is outside the executor's process tree").doesNotContain(orphan);

      long tornDown = System.nanoTime();
      assertThat(scheduler.call(scheduler.callOf(Call.Type.TEARDOWN).build()).statusCode()).isEqualTo(202);
      Await.until(WAIT, "executor " + executor + " to be killed", () -> !alive(executor));
      assertThat(Duration.ofNanos(System.nanoTime() - tornDown)).as("killed only after the grace period")
          .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
      Await.until(WAIT, "the orphan " + orphan + " to die with the container's session", () -> !alive(orphan));
      assertThat(awaitExit(cluster, "stubborn").waitStatus()).as("SIGKILL").hasValue(9);
    }
  }

  private static AgentCore.ExecutorExit awaitExit(LocalCluster cluster, String executorId) throws Exception {
    Optional<AgentCore.ExecutorExit>[] exit = new Optional[1];
    Await.until(WAIT, "the agent to record the exit of " + executorId, () -> {
      List<AgentCore.ExecutorExit> exits = cluster.agents().get(0).executorExits();
      exit[0] = exits.stream().filter(x -> x.executorId().equals(executorId)).findFirst();
      return exit[0].isPresent();
    });
    return exit[0].get();
  }
}
