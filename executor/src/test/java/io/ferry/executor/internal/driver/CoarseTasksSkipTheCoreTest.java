package io.ferry.executor.internal.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.executor.ExecutorContext;
import io.ferry.executor.ExecutorSettings;
import io.ferry.executor.testing.FakeDriver;
import io.ferry.executor.testing.TestTasks;
import io.ferry.rpc.PeerConnection;
import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.Mode;
import io.ferry.rpc.proto.TaskResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coarse mode's tasks do not pass through the executor's core thread: once the slots are
 * registered, a RunTask from the driver runs and its result reaches the driver while the core
 * thread does nothing at all (here: the test, which runs the core's queue by hand, stops running
 * it). A hop through the core per task was a large part of the executor's cost per task.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CoarseTasksSkipTheCoreTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path sandbox;

  /** The executor as the handler sees it; its core thread is the test's, running {@link #core} by hand. */
  private final BlockingQueue<Runnable> core = new LinkedBlockingQueue<>();

  @Test
  void aRunTaskIsRunAndAnsweredWhileTheCoreThreadIsIdle() throws Exception {
    try (FakeDriver driver = FakeDriver.start(List.of())) {
      ExecutorSettings settings = ExecutorSettings.fromEnvironment(Map.of("MESOS_FRAMEWORK_ID", "fw-1",
          "MESOS_EXECUTOR_ID", "e-1", "MESOS_AGENT_ENDPOINT", "127.0.0.1:1", "MESOS_SANDBOX", sandbox.toString()));
      ExecutorContext executor = new ExecutorContext() {
        @Override
        public ExecutorSettings settings() {
          return settings;
        }

        @Override
        public void execute(Runnable work) {
          core.add(work);
        }

        @Override
        public void abort(String message) {}

        @Override
        public void finish(String reason) {}
      };
      DriverTaskHandler handler = new DriverTaskHandler(executor);
      handler.subscribed(Event.Subscribed.getDefaultInstance());
      TaskInfo slots = TaskInfo.newBuilder().setName("slots").setTaskId(TaskID.newBuilder().setValue("slots-1"))
          .setAgentId(AgentID.newBuilder().setValue("S0"))
          .addResources(Resource.newBuilder().setName("cpus").setType(Value.Type.SCALAR)
              .setScalar(Value.Scalar.newBuilder().setValue(2)))
          .setData(driver.launchRecord("e-1", Mode.COARSE).toByteString())
          .build();
      CoarseModeReleaseTest.RecordingControl control = new CoarseModeReleaseTest.RecordingControl(slots);
      try {
        handler.launch(slots, control);
        // The core connects, fetches no jars and registers the slots.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!control.reports.contains("RUNNING") && System.nanoTime() < deadline) {
          Runnable work = core.poll(100, TimeUnit.MILLISECONDS);
          if (work != null) {
            work.run();
          }
        }
        assertThat(control.reports).as("the slot task's reports").containsExactly("RUNNING");
        PeerConnection peer = driver.peer(WAIT);
        assertThat(driver.next(WAIT, Frame::hasRegisterSlots)).isNotNull();

        // From here on the core thread runs nothing.
        peer.send(FakeDriver.runTask(7, "slots-1", new TestTasks.Echo("hi")));
        Frame result = driver.next(WAIT, Frame::hasTaskResult);
        assertThat(result).as("the task's result, with the core thread idle").isNotNull();
        assertThat(result.getTaskResult().getTaskId()).isEqualTo(7);
        assertThat(result.getTaskResult().getOutcome()).as(result.getTaskResult().getMessage())
            .isEqualTo(TaskResult.Outcome.SUCCESS);
      } finally {
        handler.shutdown("the test is over");
        Runnable work;
        while ((work = core.poll()) != null) {
          work.run();
        }
      }
    }
  }
}
