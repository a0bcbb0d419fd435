package io.ferry.executor;

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
import io.ferry.rpc.proto.ReleaseSlots;
import io.ferry.rpc.proto.TaskResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end of a successful job, with the production executor as a real child process of
 * mesos-local's agent. On a real agent the driver's goodbye (over Ferry's link) reaches the
 * executor before the agent's SHUTDOWN (TEARDOWN goes through the master and the agent), and once
 * the framework is torn down the agent acknowledges no more updates. Either way the executor of a
 * clean job exits with status 0 and logs no WARN or ERROR.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CleanEndTest {
  /** A WARN or ERROR line of the executor (SLF4J simple) or of the fetcher (glog style). */
  static final Pattern TROUBLE = Pattern.compile("(?m)^(\\[[^\\]]*\\] (WARN|ERROR) |[WE]\\d{4} ).*$");

  @TempDir Path work;
  MesosLocalFixture mesos;
  FakeDriver driver;

  @AfterEach
  void stop() throws Exception {
    try {
      if (driver != null) {
        driver.close();
      }
    } finally {
      if (mesos != null) {
        mesos.close();
      }
    }
  }

  private PeerConnection start(String executorId, String taskId, Mode mode) throws Exception {
    mesos = new MesosLocalFixture(MesosLocalFixture.settings(work), work);
    driver = FakeDriver.start(List.of());
    mesos.subscribe(true);
    ExecutorInfo executor = MesosLocalFixture.executor(executorId, FerryExecutor.class, Environment.getDefaultInstance());
    mesos.launch(MesosLocalFixture.task(taskId, executor, mesos.offer,
        driver.launchRecord(executorId, mode).toByteString()));
    return driver.peer(WAIT);
  }

  private void runEcho(PeerConnection peer, long ferryTaskId, String mesosTaskId) throws Exception {
    peer.send(FakeDriver.runTask(ferryTaskId, mesosTaskId, new TestTasks.Echo("hi")));
    TaskResult result = driver.next(WAIT, Frame::hasTaskResult).getTaskResult();
    assertThat(result.getOutcome()).as(result.getMessage()).isEqualTo(TaskResult.Outcome.SUCCESS);
  }

  /** The agent's record of the executor's end: the raw wait status, 0 for exit(0). */
  private AgentCore.ExecutorExit exitOf(String executorId) throws Exception {
    Optional<AgentCore.ExecutorExit>[] exit = new Optional[1];
    Await.until(WAIT, "the agent to see executor " + executorId + " exit", () -> {
      exit[0] = mesos.cluster.agents().get(0).executorExits().stream()
          .filter(x -> x.executorId().equals(executorId)).findFirst();
      return exit[0].isPresent();
    });
    return exit[0].get();
  }

  private void assertCleanEnd(String executorId) throws Exception {
    assertThat(exitOf(executorId).waitStatus()).as("exit status 0 (wait status 0); stderr:\n%s",
        mesos.sandboxStderr()).hasValue(0);
    String stderr = mesos.sandboxStderr();
    assertThat(TROUBLE.matcher(stderr).results().map(r -> r.group()).toList()).as(stderr).isEmpty();
    assertThat(stderr).contains("exiting: every task has ended");
  }

  @Test
  void fineModeGoodbyeThenTeardownExitsZeroWithoutWarnings() throws Exception {
    PeerConnection peer = start("ferry-fine", "t1", Mode.FINE);
    driver.next(WAIT, Frame::hasFetchTask);
    runEcho(peer, 5, "t1");
    mesos.update("t1", TaskState.TASK_FINISHED);

    // The real-Mesos order: the driver's goodbye first, then TEARDOWN (through master and agent).
    peer.close("the application is done");
    Await.until(WAIT, "the executor to take the goodbye",
        () -> mesos.sandboxStderr().contains("said goodbye: the application is done"));
    mesos.teardown();
    assertCleanEnd("ferry-fine");
  }

  @Test
  void fineModeTeardownThenGoodbyeExitsZeroWithoutWarnings() throws Exception {
    PeerConnection peer = start("ferry-fine", "t1", Mode.FINE);
    driver.next(WAIT, Frame::hasFetchTask);
    runEcho(peer, 5, "t1");
    mesos.update("t1", TaskState.TASK_FINISHED);

    mesos.teardown();
    Await.until(WAIT, "the executor to get SHUTDOWN", () -> mesos.sandboxStderr().contains("SHUTDOWN"));
    peer.close("the application is done");
    assertCleanEnd("ferry-fine");
  }

  @Test
  void coarseModeReleaseGoodbyeThenTeardownExitsZeroWithoutWarnings() throws Exception {
    PeerConnection peer = start("ferry-coarse", "slots", Mode.COARSE);
    assertThat(driver.next(WAIT, Frame::hasRegisterSlots).getRegisterSlots().getSlotTaskId()).isEqualTo("slots");
    mesos.update("slots", TaskState.TASK_RUNNING);
    for (long id = 1; id <= 20; id++) {
      runEcho(peer, id, "slots");
    }
    // What CoarseGrainedBackend.close() does: release the slots, and say goodbye once their
    // Mesos task has ended; then TEARDOWN.
    peer.send(Frame.newBuilder().setReleaseSlots(ReleaseSlots.newBuilder().setSlotTaskId("slots")).build());
    TaskStatus finished = mesos.update("slots", TaskState.TASK_FINISHED);
    assertThat(finished.getMessage()).isEqualTo("the driver released the slots");
    peer.close("its Mesos task ended: TASK_FINISHED");
    Await.until(WAIT, "the executor to take the goodbye", () -> mesos.sandboxStderr().contains("said goodbye"));
    mesos.teardown();
    assertCleanEnd("ferry-coarse");
  }
}
