package io.ferry.executor;

import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * One task's line to the executor, given to {@link TaskHandler#launch}. Reports become Mesos
 * status updates, sent to the agent in order and kept until it acknowledges them. Thread-safe:
 * call it from any thread.
 *
 * <p>The first terminal report ({@link #finished}, {@link #failed}, {@link #killed}) wins; later
 * reports are ignored, including those of a task that the executor has already given up on after
 * a kill's grace period (its thread is then abandoned).
 */
public interface TaskControl {

  TaskID taskId();

  TaskInfo taskInfo();

  /** {@code TASK_RUNNING} (sent once, however often called). */
  void running();

  /** {@code TASK_FINISHED}; {@code message} may be empty. */
  void finished(String message);

  /** {@code TASK_FAILED} with a one-line cause in {@code TaskStatus.message} (shown in Mesos's UI). */
  void failed(String message);

  /** {@code TASK_KILLED}, after a kill stopped the task. */
  void killed(String message);

  /**
   * What a kill does to this task (typically: interrupt its thread). Run once, on the executor's
   * core thread, when Mesos kills the task or the executor shuts down; at once if that already
   * happened. It must not block.
   */
  void onKill(Runnable interrupt);

  /**
   * What giving up on this task means (e.g. freeing its slot in a pool): run once, on the core
   * thread, when a killed task has not ended within its kill grace period. The executor then
   * reports {@code TASK_KILLED} itself and ignores the task's later reports.
   */
  void onAbandon(Runnable release);

  /** True once Mesos asked to kill this task or the executor is shutting down. */
  boolean isKillRequested();
}
