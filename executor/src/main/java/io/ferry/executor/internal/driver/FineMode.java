package io.ferry.executor.internal.driver;

import io.ferry.executor.TaskControl;
import io.ferry.executor.internal.TaskPool;
import io.ferry.executor.internal.Tags;
import io.ferry.rpc.DriverConnection;
import io.ferry.rpc.proto.FetchTask;
import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.RunTask;
import io.ferry.rpc.proto.TaskResult;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fine-grained mode: every Mesos task is one Ferry task. On LAUNCH the executor asks the driver
 * for the task's body ({@code FetchTask}); the driver's {@code RunTask} runs on the task pool:
 * TASK_RUNNING, the {@code TaskResult} to the driver, then TASK_FINISHED, TASK_FAILED or
 * TASK_KILLED. Mesos's KILL and the driver's {@code CancelTask} both interrupt it.
 *
 * <p>Confined to the core thread; task bodies run on the pool and report through their control.
 */
final class FineMode {
  private static final Logger log = LoggerFactory.getLogger(FineMode.class);

  private final DriverConnection driver;
  private final FerryTaskRunner runner;
  private final TaskPool pool;
  private final Executor core;
  private final String executorId;
  private final String hostname;
  private final Map<String, FineTask> byMesosId = new HashMap<>();
  private final Map<Long, FineTask> byFerryId = new HashMap<>();

  private static final class FineTask {
    final TaskInfo info;
    final TaskControl control;
    final String tag;
    ExecutorTaskContext context;
    TaskPool.Running run;
    boolean killed;

    FineTask(TaskInfo info, TaskControl control, String tag) {
      this.info = info;
      this.control = control;
      this.tag = tag;
    }
  }

  FineMode(DriverConnection driver, FerryTaskRunner runner, TaskPool pool, Executor core, String executorId,
      String hostname) {
    this.driver = driver;
    this.runner = runner;
    this.pool = pool;
    this.core = core;
    this.executorId = executorId;
    this.hostname = hostname;
  }

  void launch(TaskInfo info, TaskControl control) {
    String id = info.getTaskId().getValue();
    FineTask task = new FineTask(info, control, Tags.task(executorId, id));
    byMesosId.put(id, task);
    control.onKill(() -> kill(task));
    control.onAbandon(() -> {
      if (task.run != null) {
        task.run.abandon();
      }
    });
    driver.send(Frame.newBuilder().setFetchTask(FetchTask.newBuilder().setMesosTaskId(id)).build());
  }

  void onRunTask(RunTask run) {
    FineTask task = byMesosId.get(run.getMesosTaskId());
    if (task == null || task.run != null) {
      log.warn("{} RunTask {} for Mesos task '{}', which {}", Tags.executor(executorId), run.getTaskId(),
          run.getMesosTaskId(), task == null ? "this executor does not run" : "already runs a task");
      result(run.getTaskId(), TaskResult.Outcome.FAILED, "Mesos task '" + run.getMesosTaskId()
          + "' is not waiting for a task on executor " + executorId);
      return;
    }
    if (task.killed) {
      result(run.getTaskId(), TaskResult.Outcome.KILLED, "Mesos killed task '" + run.getMesosTaskId()
          + "' before it started");
      forget(task);
      return;
    }
    task.context = new ExecutorTaskContext(run.getTaskId(), run.getAttempt(), executorId, hostname);
    byFerryId.put(run.getTaskId(), task);
    task.run = pool.submit(() -> {
      FerryTaskRunner.Outcome outcome = runner.run(run, task.context, task.control::running, () -> { }, task.tag);
      switch (outcome.outcome()) {
        case SUCCESS -> task.control.finished("");
        case KILLED -> task.control.killed(outcome.message());
        default -> task.control.failed(outcome.message());
      }
      core.execute(() -> forget(task));
    });
  }

  void cancel(long ferryTaskId) {
    FineTask task = byFerryId.get(ferryTaskId);
    if (task != null) {
      log.info("{} the driver cancelled task {}", task.tag, ferryTaskId);
      task.context.cancel();
      task.run.interrupt();
    }
  }

  private void kill(FineTask task) {
    task.killed = true;
    if (task.run == null) {
      task.control.killed("killed before the driver sent the task");
    } else {
      task.context.cancel();
      task.run.interrupt();
    }
  }

  private void forget(FineTask task) {
    byMesosId.remove(task.info.getTaskId().getValue(), task);
    if (task.context != null) {
      byFerryId.remove(task.context.taskId(), task);
    }
  }

  private void result(long taskId, TaskResult.Outcome outcome, String message) {
    driver.send(Frame.newBuilder().setTaskResult(TaskResult.newBuilder().setTaskId(taskId).setOutcome(outcome)
        .setMessage(message)).build());
  }
}
