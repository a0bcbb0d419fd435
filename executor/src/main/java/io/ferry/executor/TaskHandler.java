package io.ferry.executor;

import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * What an executor does with the tasks Mesos gives it. The executor owns the Mesos side (the
 * agent connection, status updates and their acknowledgements, kills, shutdown); a handler only
 * starts work and reports on it through each task's {@link TaskControl}.
 *
 * <pre>{@code
 * TaskHandler handler = (task, control) -> {
 *   Future<?> run = pool.submit(() -> {
 *     control.running();
 *     try { work(task); control.finished(""); }
 *     catch (InterruptedException e) { control.killed("interrupted"); }
 *     catch (Exception e) { control.failed(e.toString()); }
 *   });
 *   control.onKill(() -> run.cancel(true));
 * };
 * }</pre>
 *
 * <p>Every method runs on the executor's core thread ({@code ferry-executor-core}): it must not
 * block, and should hand any real work to threads of its own.
 */
public interface TaskHandler {

  /** The agent accepted the executor; {@code subscribed} has the executor, framework and agent infos. */
  default void subscribed(Event.Subscribed subscribed) {}

  /** A LAUNCH: start {@code task} and report on it through {@code control}. Must not block. */
  void launch(TaskInfo task, TaskControl control);

  /**
   * The executor is going away ({@code reason} says why): release what the handler holds (e.g.
   * say goodbye to the driver). Tasks are killed separately through their {@link TaskControl#onKill}.
   */
  default void shutdown(String reason) {}
}
