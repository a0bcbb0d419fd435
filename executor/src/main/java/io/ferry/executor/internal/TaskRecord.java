package io.ferry.executor.internal;

import io.ferry.executor.TaskControl;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;

/**
 * One delivered task: its TaskInfo, the last state reported, and its kill. Also the
 * {@link TaskControl} handed to the handler; reports from any thread are handed to the core
 * thread, where every field but {@code killRequested} lives.
 */
final class TaskRecord implements TaskControl {

  /** Where reports go, on the core thread. */
  interface Reports {
    void report(TaskRecord task, TaskState state, String message);
  }

  final TaskInfo info;
  final String tag;
  private final Executor core;
  private final Reports reports;
  private volatile boolean killRequested;
  // core thread only:
  TaskState lastState;
  boolean terminal;
  boolean abandoned;
  Runnable killHook;
  Runnable abandonHook;
  boolean killHookRan;
  ScheduledFuture<?> escalation;

  TaskRecord(TaskInfo info, String tag, Executor core, Reports reports) {
    this.info = info;
    this.tag = tag;
    this.core = core;
    this.reports = reports;
  }

  @Override
  public TaskID taskId() {
    return info.getTaskId();
  }

  @Override
  public TaskInfo taskInfo() {
    return info;
  }

  @Override
  public void running() {
    core.execute(() -> reports.report(this, TaskState.TASK_RUNNING, ""));
  }

  @Override
  public void finished(String message) {
    core.execute(() -> reports.report(this, TaskState.TASK_FINISHED, message));
  }

  @Override
  public void failed(String message) {
    core.execute(() -> reports.report(this, TaskState.TASK_FAILED, message));
  }

  @Override
  public void killed(String message) {
    core.execute(() -> reports.report(this, TaskState.TASK_KILLED, message));
  }

  @Override
  public void onKill(Runnable interrupt) {
    core.execute(() -> {
      killHook = interrupt;
      if (killRequested) {
        runKillHook();
      }
    });
  }

  @Override
  public void onAbandon(Runnable release) {
    core.execute(() -> {
      abandonHook = release;
      if (abandoned) {
        release.run();
      }
    });
  }

  @Override
  public boolean isKillRequested() {
    return killRequested;
  }

  /** Core thread: marks the kill and runs the hook once, if there is one yet. */
  void requestKill() {
    killRequested = true;
    runKillHook();
  }

  private void runKillHook() {
    if (killHook != null && !killHookRan) {
      killHookRan = true;
      killHook.run();
    }
  }
}
