package io.ferry.executor.internal.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.api.TaskSerializer;
import io.ferry.executor.TaskControl;
import io.ferry.executor.testing.FakeDriver;
import io.ferry.executor.testing.TestTasks;
import io.ferry.rpc.DriverConnection;
import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.JarDescriptor;
import io.ferry.rpc.proto.TaskResult;
import io.ferry.rpc.proto.Welcome;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ReleaseSlots right after the last result: the driver releases the slots once it has every
 * result, which can reach the executor before the task's thread has forgotten the task that sent
 * the result. Such a task has ended; the slot task's TASK_FINISHED must not count it as interrupted.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CoarseModeReleaseTest {

  /** The driver's side of the link: frames sent are kept. */
  static final class RecordingDriver implements DriverConnection {
    final BlockingQueue<Frame> sent = new LinkedBlockingQueue<>();

    @Override
    public Welcome welcome() {
      return Welcome.getDefaultInstance();
    }

    @Override
    public void send(Frame frame) {
      sent.add(frame);
    }

    @Override
    public CompletableFuture<Path> fetchJar(JarDescriptor jar, Path directory) {
      return CompletableFuture.failedFuture(new UnsupportedOperationException("no jars here"));
    }

    @Override
    public void close(String reason) {}

    @Override
    public CompletableFuture<String> closeFuture() {
      return new CompletableFuture<>();
    }

    @Override
    public boolean endedByDriverGoodbye() {
      return false;
    }

    @Override
    public String peer() {
      return "127.0.0.1:1";
    }
  }

  /** The slot task's control: what it ended with. */
  static final class RecordingControl implements TaskControl {
    final TaskInfo info;
    final List<String> reports = new java.util.concurrent.CopyOnWriteArrayList<>();

    RecordingControl(TaskInfo info) {
      this.info = info;
    }

    @Override public TaskID taskId() { return info.getTaskId(); }
    @Override public TaskInfo taskInfo() { return info; }
    @Override public void running() { reports.add("RUNNING"); }
    @Override public void finished(String message) { reports.add("FINISHED " + message); }
    @Override public void failed(String message) { reports.add("FAILED " + message); }
    @Override public void killed(String message) { reports.add("KILLED " + message); }
    @Override public void onKill(Runnable interrupt) {}
    @Override public void onAbandon(Runnable release) {}
    @Override public boolean isKillRequested() { return false; }
  }

  @Test
  void aTaskWhoseResultWasSentIsNotCountedAsInterruptedByTheRelease() throws Exception {
    RecordingDriver driver = new RecordingDriver();
    CoarseMode coarse = new CoarseMode(driver, new FerryTaskRunner(new TaskSerializer(getClass().getClassLoader()),
        driver, new ClassGenerationCache(driver, getClass().getClassLoader(), "[executor=e-1]")), "e-1",
        "localhost");
    TaskInfo slots = TaskInfo.newBuilder().setName("slots").setTaskId(TaskID.newBuilder().setValue("slots"))
        .setAgentId(org.apache.mesos.v1.Protos.AgentID.newBuilder().setValue("S0"))
        .addResources(Resource.newBuilder().setName("cpus").setType(Value.Type.SCALAR)
            .setScalar(Value.Scalar.newBuilder().setValue(1)))
        .build();
    RecordingControl control = new RecordingControl(slots);
    coarse.launch(slots, control);
    assertThat(driver.sent.poll(5, TimeUnit.SECONDS).hasRegisterSlots()).isTrue();

    coarse.onRunTask(FakeDriver.runTask(7, "slots", new TestTasks.Echo("hi")).getRunTask());
    Frame result = driver.sent.poll(10, TimeUnit.SECONDS);
    assertThat(result).isNotNull();
    assertThat(result.getTaskResult().getOutcome()).isEqualTo(TaskResult.Outcome.SUCCESS);

    // The driver has every result and releases the slots, maybe before the task's thread forgot it.
    coarse.release("slots");
    assertThat(control.reports).containsExactly("RUNNING", "FINISHED the driver released the slots");
  }
}
