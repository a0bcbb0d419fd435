package io.ferry.executor;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ferry.api.TaskSerializer;
import io.ferry.executor.testing.AppJar;
import io.ferry.executor.testing.ChildProcess;
import io.ferry.executor.testing.CuttableRelay;
import io.ferry.executor.testing.FakeDriver;
import io.ferry.executor.testing.ScriptedAgent;
import io.ferry.executor.testing.TestTasks;
import io.ferry.rpc.proto.CancelTask;
import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.LaunchRecord;
import io.ferry.rpc.proto.Mode;
import io.ferry.rpc.proto.ReleaseSlots;
import io.ferry.rpc.proto.TaskResult;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor's driver side, with the production main ({@link FerryExecutor}) as a child process
 * between a scripted agent and a real {@code RpcServer} playing the driver.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DriverSideTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path work;
  ScriptedAgent agent;
  FakeDriver driver;
  ChildProcess executor;
  io.ferry.rpc.PeerConnection peer;

  @AfterEach
  void stop() throws Exception {
    try {
      if (executor != null) {
        executor.close();
      }
    } finally {
      try {
        if (driver != null) {
          driver.close();
        }
      } finally {
        if (agent != null) {
          agent.close();
        }
      }
    }
  }

  void start(String executorId, List<Path> jars) throws Exception {
    agent = ScriptedAgent.start();
    driver = FakeDriver.start(jars);
    java.util.Map<String, String> env = agent.environment(executorId, false);
    env.put("MESOS_SANDBOX", Files.createDirectories(work.resolve("sandbox")).toString());
    executor = ChildProcess.java(FerryExecutor.class, env, work);
    agent.nextSubscribe(WAIT);
  }

  /** The executor, connected to the driver for Mesos task t1, which waits for its RunTask. */
  void startWithFineTask(String executorId) throws Exception {
    start(executorId, List.of());
    agent.launch(task("t1", driver.launchRecord(executorId, Mode.FINE)));
    peer = driver.peer(WAIT);
    driver.next(WAIT, Frame::hasFetchTask);
  }

  static TaskInfo task(String id, LaunchRecord record) {
    return ScriptedAgent.task(id, "").toBuilder().setData(record.toByteString()).build();
  }

  @Test
  void fineModeRunsTasksFromTheApplicationsJarsAndReportsResultsToTheDriver() throws Exception {
    Path jar = AppJar.build(work.resolve("app"));
    start("e1", List.of(jar));
    LaunchRecord record = driver.launchRecord("e1", Mode.FINE);
    agent.launch(task("t1", record));
    peer = driver.peer(WAIT);
    assertThat(driver.next(WAIT, Frame::hasFetchTask).getFetchTask().getMesosTaskId()).isEqualTo("t1");
    // app.Square is not on the executor's class path: it must be loaded from the fetched jar.
    byte[] square = new TaskSerializer(getClass().getClassLoader()).serialize(AppJar.square(jar, 7));
    peer.send(FakeDriver.runTask(41, "t1", square));
    TaskResult result = driver.next(WAIT, Frame::hasTaskResult).getTaskResult();
    assertThat(result.getOutcome()).as(result.getMessage()).isEqualTo(TaskResult.Outcome.SUCCESS);
    assertThat(new TaskSerializer(getClass().getClassLoader()).deserialize(result.getValue().toByteArray())).isEqualTo(49);
    agent.nextUpdate(WAIT, "t1", TaskState.TASK_FINISHED);
    assertThat(agent.updates("t1")).extracting(TaskStatus::getState)
        .containsExactly(TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
    assertThat(work.resolve("sandbox/ferry-app-jars/app.jar")).exists();

    agent.launch(task("t2", record)); // the token is spent: later tasks use the open link
    driver.next(WAIT, f -> f.hasFetchTask() && f.getFetchTask().getMesosTaskId().equals("t2"));
    peer.send(FakeDriver.runTask(42, "t2", new TestTasks.Fail("no such file: /data/x")));
    TaskResult failed = driver.next(WAIT, Frame::hasTaskResult).getTaskResult();
    assertThat(failed.getOutcome()).isEqualTo(TaskResult.Outcome.FAILED);
    assertThat(failed.getStackTrace()).contains("IllegalStateException").contains("at io.ferry.executor.testing");
    TaskStatus status = agent.nextUpdate(WAIT, "t2", TaskState.TASK_FAILED);
    assertThat(status.getMessage()).contains("no such file: /data/x").doesNotContain("\n");
    assertThat(executor.output()).contains("[executor=e1 task=t2]").contains("at io.ferry.executor.testing.TestTasks");
    assertThat(agent.violations).isEmpty();
  }

  @Test
  void aCancelTaskFromTheDriverKillsTheTask() throws Exception {
    startWithFineTask("e2");
    peer.send(FakeDriver.runTask(7, "t1", new TestTasks.Sleep()));
    agent.nextUpdate(WAIT, "t1", TaskState.TASK_RUNNING);
    peer.send(Frame.newBuilder().setCancelTask(CancelTask.newBuilder().setTaskId(7)).build());
    assertThat(driver.next(WAIT, Frame::hasTaskResult).getTaskResult().getOutcome()).isEqualTo(TaskResult.Outcome.KILLED);
    agent.nextUpdate(WAIT, "t1", TaskState.TASK_KILLED);
  }

  @Test
  void aKillBeforeTheDriverSentTheTaskEndsItAndTheLateTaskIsReportedKilled() throws Exception {
    startWithFineTask("e8");
    agent.kill("t1");
    assertThat(agent.nextUpdate(WAIT, "t1", TaskState.TASK_KILLED).getMessage())
        .contains("killed before the driver sent the task");
    peer.send(FakeDriver.runTask(3, "t1", new TestTasks.Echo("late")));
    TaskResult late = driver.next(WAIT, Frame::hasTaskResult).getTaskResult();
    assertThat(late.getTaskId()).isEqualTo(3);
    assertThat(late.getOutcome()).isEqualTo(TaskResult.Outcome.KILLED);
    assertThat(agent.updates("t1")).extracting(TaskStatus::getState).containsExactly(TaskState.TASK_KILLED);
  }

  @Test
  void killingASlotTaskInterruptsTheTasksRunningInIt() throws Exception {
    start("e9", List.of());
    agent.launch(slotTask("slot-1", driver.launchRecord("e9", Mode.COARSE), 2));
    peer = driver.peer(WAIT);
    driver.next(WAIT, Frame::hasRegisterSlots);
    agent.nextUpdate(WAIT, "slot-1", TaskState.TASK_RUNNING);
    peer.send(FakeDriver.runTask(1, "slot-1", new TestTasks.Sleep()));
    peer.send(FakeDriver.runTask(2, "slot-1", new TestTasks.Echo("x")));
    // Frames are handled in order: once the second has its result, the first is running.
    assertThat(driver.next(WAIT, Frame::hasTaskResult).getTaskResult().getTaskId()).isEqualTo(2);
    agent.kill("slot-1");
    assertThat(agent.nextUpdate(WAIT, "slot-1", TaskState.TASK_KILLED).getMessage()).contains("1 running task");
    TaskResult killed = driver.next(WAIT, Frame::hasTaskResult).getTaskResult();
    assertThat(killed.getTaskId()).isEqualTo(1);
    assertThat(killed.getOutcome()).isEqualTo(TaskResult.Outcome.KILLED);
  }

  static TaskInfo slotTask(String id, LaunchRecord record, double cpus) {
    return task(id, record).toBuilder().addResources(Resource.newBuilder().setName("cpus").setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(cpus))).build();
  }

  @Test
  void coarseModeRunsTheDriversTasksInItsSlotsUntilReleased() throws Exception {
    start("e3", List.of());
    agent.launch(slotTask("slot-1", driver.launchRecord("e3", Mode.COARSE), 2));
    peer = driver.peer(WAIT);
    Frame register = driver.next(WAIT, Frame::hasRegisterSlots);
    assertThat(register.getRegisterSlots().getSlotTaskId()).isEqualTo("slot-1");
    assertThat(register.getRegisterSlots().getSlots()).isEqualTo(2);
    agent.nextUpdate(WAIT, "slot-1", TaskState.TASK_RUNNING);
    for (int i = 1; i <= 3; i++) {
      peer.send(FakeDriver.runTask(i, "slot-1", new TestTasks.Echo("v" + i)));
    }
    TaskSerializer serializer = new TaskSerializer(getClass().getClassLoader());
    java.util.Set<Object> values = new java.util.HashSet<>();
    for (int i = 0; i < 3; i++) {
      TaskResult r = driver.next(WAIT, Frame::hasTaskResult).getTaskResult();
      assertThat(r.getOutcome()).as(r.getMessage()).isEqualTo(TaskResult.Outcome.SUCCESS);
      values.add(serializer.deserialize(r.getValue().toByteArray()));
    }
    assertThat(values).containsExactlyInAnyOrder("v1@e3#1/0", "v2@e3#2/0", "v3@e3#3/0");
    peer.send(Frame.newBuilder().setReleaseSlots(ReleaseSlots.newBuilder().setSlotTaskId("slot-1")).build());
    agent.nextUpdate(WAIT, "slot-1", TaskState.TASK_FINISHED);
    assertThat(agent.updates("slot-1")).extracting(TaskStatus::getState)
        .containsExactly(TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
  }

  @Test
  void garbageOrMissingLaunchDataFailsTheTaskSayingWhatWasWrong() throws Exception {
    start("e4", List.of());
    agent.launch(ScriptedAgent.task("t1", "").toBuilder().setData(ByteString.EMPTY).build());
    assertThat(agent.nextUpdate(WAIT, "t1", TaskState.TASK_FAILED).getMessage()).contains("TaskInfo.data is empty");
    agent.launch(ScriptedAgent.task("t2", "").toBuilder().setData(ByteString.copyFrom(new byte[] {(byte) 0xff, 1, 2}))
        .build());
    assertThat(agent.nextUpdate(WAIT, "t2", TaskState.TASK_FAILED).getMessage())
        .contains("is not a Ferry launch record");
    agent.launch(ScriptedAgent.task("t3", "hello, world"));
    assertThat(agent.nextUpdate(WAIT, "t3", TaskState.TASK_FAILED).getMessage()).contains("Ferry launch record");
    agent.launch(task("t4", LaunchRecord.newBuilder().setFormatVersion(1).setDriverHost("127.0.0.1").build()));
    assertThat(agent.nextUpdate(WAIT, "t4", TaskState.TASK_FAILED).getMessage())
        .contains("driver_port 0").contains("token of 0 bytes");
    // the executor is still there for a good one
    agent.launch(task("t5", driver.launchRecord("e4", Mode.FINE)));
    driver.next(WAIT, Frame::hasFetchTask);
    assertThat(executor.alive()).isTrue();
  }

  @Test
  void anUnreachableDriverFailsTheTaskWithTheReasonAndEndsTheExecutor() throws Exception {
    start("e5", List.of());
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    LaunchRecord record = driver.launchRecord("e5", Mode.FINE).toBuilder().setDriverPort(closedPort).build();
    agent.launch(task("t1", record));
    TaskStatus failed = agent.nextUpdate(WAIT, "t1", TaskState.TASK_FAILED);
    assertThat(failed.getMessage()).contains("cannot reach the Ferry driver at 127.0.0.1:" + closedPort)
        .contains("ferry.driver.host");
    assertThat(executor.awaitExit(WAIT)).isEqualTo(1);
    assertThat(executor.output()).contains("firewall").contains("ferry.driver.host").contains("has exited");
  }

  @Test
  void aTokenTheDriverDidNotIssueIsRefused() throws Exception {
    start("e6", List.of());
    LaunchRecord record = driver.launchRecord("e6", Mode.FINE).toBuilder()
        .setToken(ByteString.copyFrom(new byte[32])).build();
    agent.launch(task("t1", record));
    assertThat(agent.nextUpdate(WAIT, "t1", TaskState.TASK_FAILED).getMessage()).contains("did not authenticate");
    assertThat(executor.awaitExit(WAIT)).isEqualTo(1);
  }

  @Test
  void aDriverThatVanishesTakesTheExecutorWithIt() throws Exception {
    start("e7", List.of());
    // The connection is reset under the executor: no goodbye, as when the driver's host dies.
    try (CuttableRelay relay = CuttableRelay.to(driver.server.port())) {
      agent.launch(task("t1", driver.launchRecord("e7", Mode.FINE).toBuilder().setDriverPort(relay.port()).build()));
      peer = driver.peer(WAIT);
      driver.next(WAIT, Frame::hasFetchTask);
      peer.send(FakeDriver.runTask(1, "t1", new TestTasks.Sleep()));
      agent.nextUpdate(WAIT, "t1", TaskState.TASK_RUNNING);
      relay.cut();
      TaskStatus failed = agent.nextUpdate(WAIT, "t1", TaskState.TASK_FAILED);
      assertThat(failed.getMessage()).startsWith("lost the driver at 127.0.0.1:");
      assertThat(executor.awaitExit(WAIT)).isEqualTo(1);
      assertThat(agent.violations).isEmpty();
    }
  }

  @Test
  void aDriverThatSaysGoodbyeMidTaskEndsTheExecutorCleanly() throws Exception {
    startWithFineTask("e8");
    peer.send(FakeDriver.runTask(1, "t1", new TestTasks.Sleep()));
    agent.nextUpdate(WAIT, "t1", TaskState.TASK_RUNNING);
    // The driver stops on purpose (FerryContext.close() with work still running): its goodbye
    // ends the executor's work, which is no failure of the executor.
    driver.close();
    TaskStatus killed = agent.nextUpdate(WAIT, "t1", TaskState.TASK_KILLED);
    assertThat(killed.getMessage()).isNotEmpty();
    assertThat(executor.awaitExit(WAIT)).isEqualTo(0);
    assertThat(executor.output()).contains("the driver said goodbye: the driver is shutting down");
    assertThat(CleanEndTest.TROUBLE.matcher(executor.output()).results().map(r -> r.group()).toList())
        .as(executor.output()).isEmpty();
    assertThat(agent.violations).isEmpty();
  }
}
