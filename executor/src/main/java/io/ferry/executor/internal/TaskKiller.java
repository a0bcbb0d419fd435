package io.ferry.executor.internal;

import io.ferry.mesos.MesosDurations;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills one task: runs its kill hook (the handler interrupts it), and if the task has not ended
 * within the grace period, gives up on it: its thread is abandoned ({@code onAbandon} frees its
 * slot) and the executor reports TASK_KILLED itself, so a task that ignores interruption never
 * holds up a kill or a shutdown.
 *
 * <p>Confined to the core thread.
 */
final class TaskKiller {
  private static final Logger log = LoggerFactory.getLogger(TaskKiller.class);

  private final ScheduledExecutorService core;
  private final TaskRecord.Reports reports;

  TaskKiller(ScheduledExecutorService core, TaskRecord.Reports reports) {
    this.core = core;
    this.reports = reports;
  }

  /** The KILL's kill policy, else the TaskInfo's, else {@link ShutdownPlan#DEFAULT_KILL_GRACE}. */
  static Duration killGrace(Event.Kill kill, TaskInfo task) {
    if (kill != null && kill.hasKillPolicy() && kill.getKillPolicy().hasGracePeriod()) {
      return Duration.ofNanos(Math.max(0, kill.getKillPolicy().getGracePeriod().getNanoseconds()));
    }
    if (task.hasKillPolicy() && task.getKillPolicy().hasGracePeriod()) {
      return Duration.ofNanos(Math.max(0, task.getKillPolicy().getGracePeriod().getNanoseconds()));
    }
    return ShutdownPlan.DEFAULT_KILL_GRACE;
  }

  /** Interrupts the task now and gives up on it after {@code grace} (a later call re-arms the deadline). */
  void start(TaskRecord task, Duration grace) {
    if (task.escalation != null) {
      task.escalation.cancel(false);
    }
    task.escalation = core.schedule(() -> escalate(task, grace), grace.toNanos(), TimeUnit.NANOSECONDS);
    interrupt(task);
  }

  /** Marks the kill and runs the task's kill hook, without a deadline. */
  void interrupt(TaskRecord task) {
    try {
      task.requestKill();
    } catch (RuntimeException e) {
      log.error("{} interrupting the task failed", task.tag, e);
    }
  }

  private void escalate(TaskRecord task, Duration grace) {
    if (task.terminal) {
      return;
    }
    task.abandoned = true;
    log.warn("{} the task did not stop within {} of being interrupted; giving up on it (its thread is abandoned)",
        task.tag, MesosDurations.format(grace));
    if (task.abandonHook != null) {
      try {
        task.abandonHook.run();
      } catch (RuntimeException e) {
        log.error("{} releasing the abandoned task failed", task.tag, e);
      }
    }
    reports.report(task, TaskState.TASK_KILLED, "killed: the task ignored interruption for "
        + MesosDurations.format(grace) + "; its thread was abandoned");
  }
}
