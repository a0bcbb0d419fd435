package io.ferry.executor.internal.driver;

import io.ferry.executor.TaskControl;
import io.ferry.executor.internal.TaskPool;
import io.ferry.executor.internal.Tags;
import io.ferry.rpc.DriverConnection;
import io.ferry.rpc.PeerText;
import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.RegisterSlots;
import io.ferry.rpc.proto.RunTask;
import io.ferry.rpc.proto.TaskResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coarse-grained mode: a Mesos task is a slot holder for the cpus it was given. The executor
 * registers that many slots with the driver ({@code RegisterSlots}), reports TASK_RUNNING, and
 * runs the driver's {@code RunTask}s for it, at most one per slot at a time, each answered by a
 * {@code TaskResult}. {@code ReleaseSlots} ends the Mesos task with TASK_FINISHED; a KILL ends it
 * with TASK_KILLED; either interrupts the Ferry tasks still running in it.
 *
 * <p>Threads: {@link #launch} and {@link #release} (and a kill) run on the core thread, because they
 * report to Mesos; {@link #onRunTask} and {@link #cancel} run on the link's event loop
 * ({@code ferry-rpc-client-io}), which hands each task straight to its slot holder's pool: the
 * core thread is not on a task's path (a hop there and back per task was a large part of the
 * executor's cost per task, see BENCHMARKS.md). So the maps are concurrent, and a holder's lock
 * makes "not ended, so the task is registered" and "ended, so these tasks are interrupted" one
 * step each: a task is either refused or interrupted by the holder's end, never missed.
 */
final class CoarseMode {
  private static final Logger log = LoggerFactory.getLogger(CoarseMode.class);

  private final DriverConnection driver;
  private final FerryTaskRunner runner;
  private final String executorId;
  private final String hostname;
  private final Map<String, SlotHolder> holders = new ConcurrentHashMap<>();
  private final Map<Long, Running> running = new ConcurrentHashMap<>();

  private static final class SlotHolder {
    final String id;
    final TaskControl control;
    final TaskPool pool;
    final String tag;
    /** Guarded by the holder's monitor. */
    boolean ended;

    SlotHolder(String id, TaskControl control, TaskPool pool, String tag) {
      this.id = id;
      this.control = control;
      this.pool = pool;
      this.tag = tag;
    }
  }

  /**
   * A Ferry task in a slot. {@code resultDecided} is set on the task's thread just before its
   * result goes to the driver: the task thread forgets the task only a moment later, and a
   * ReleaseSlots that the driver sends once it has every result may come in between.
   */
  private record Running(SlotHolder holder, ExecutorTaskContext context, TaskPool.Running run,
      AtomicBoolean resultDecided) {}

  CoarseMode(DriverConnection driver, FerryTaskRunner runner, String executorId, String hostname) {
    this.driver = driver;
    this.runner = runner;
    this.executorId = executorId;
    this.hostname = hostname;
  }

  /** The task's cpus, rounded down, at least 1: how many Ferry tasks it runs at once. */
  static int slots(TaskInfo task) {
    double cpus = 0;
    for (Resource r : task.getResourcesList()) {
      if (r.getName().equals("cpus") && r.hasScalar()) {
        cpus += r.getScalar().getValue();
      }
    }
    return Math.max(1, (int) Math.floor(cpus + 1e-9));
  }

  void launch(TaskInfo info, TaskControl control) {
    String id = info.getTaskId().getValue();
    int slots = slots(info);
    SlotHolder holder = new SlotHolder(id, control, new TaskPool(slots), Tags.task(executorId, id));
    holders.put(id, holder);
    control.onKill(() -> end(holder, false));
    driver.send(Frame.newBuilder().setRegisterSlots(RegisterSlots.newBuilder().setSlotTaskId(id).setSlots(slots))
        .build());
    log.info("{} holds {} slot(s) for the driver", holder.tag, slots);
    control.running();
  }

  /** On the link's event loop: queues the task on its slot holder's pool, or refuses it. */
  void onRunTask(RunTask run) {
    SlotHolder holder = holders.get(run.getMesosTaskId());
    if (holder != null) {
      ExecutorTaskContext context = new ExecutorTaskContext(run.getTaskId(), run.getAttempt(), executorId, hostname);
      AtomicBoolean resultDecided = new AtomicBoolean();
      synchronized (holder) {
        if (!holder.ended) {
          String tag = Tags.task(executorId, holder.id + "/" + run.getTaskId());
          // Registered before it can run, so that its own removal (on its thread) comes after.
          Running[] self = new Running[1];
          TaskPool.Running handle = holder.pool.prepare(() -> {
            try {
              runner.run(run, context, () -> { }, () -> resultDecided.set(true), tag);
            } finally {
              running.remove(run.getTaskId(), self[0]);
            }
          });
          self[0] = new Running(holder, context, handle, resultDecided);
          running.put(run.getTaskId(), self[0]);
          holder.pool.start(handle);
          return;
        }
      }
    }
    log.warn("{} RunTask {} for slot task '{}', which is not running here", Tags.executor(executorId),
        run.getTaskId(), PeerText.escape(run.getMesosTaskId()));
    driver.send(Frame.newBuilder().setTaskResult(TaskResult.newBuilder().setTaskId(run.getTaskId())
        .setOutcome(TaskResult.Outcome.FAILED).setMessage("slot task '" + run.getMesosTaskId()
            + "' is not running on executor " + executorId)).build());
  }

  /** On the link's event loop. */
  void cancel(long ferryTaskId) {
    Running r = running.get(ferryTaskId);
    if (r != null) {
      log.info("{} the driver cancelled task {}", r.holder().tag, ferryTaskId);
      r.context().cancel();
      r.run().interrupt();
    }
  }

  void release(String slotTaskId) {
    SlotHolder holder = holders.get(slotTaskId);
    if (holder == null) {
      log.warn("{} ReleaseSlots for unknown slot task '{}'", Tags.executor(executorId), slotTaskId);
      return;
    }
    end(holder, true);
  }

  /** On the core thread (a release or a kill): interrupts the holder's tasks whose result is not decided. */
  private void end(SlotHolder holder, boolean released) {
    List<Running> inside = new ArrayList<>();
    synchronized (holder) {
      if (holder.ended) {
        return;
      }
      holder.ended = true;
      running.values().forEach(r -> {
        if (r.holder() == holder && !r.resultDecided().get()) {
          inside.add(r);
        }
      });
    }
    holders.remove(holder.id);
    inside.forEach(r -> {
      r.context().cancel();
      r.run().interrupt();
    });
    String interrupted = inside.isEmpty() ? "" : "; " + inside.size() + " running task(s) interrupted";
    if (released) {
      holder.control.finished("the driver released the slots" + interrupted);
    } else {
      holder.control.killed("killed" + interrupted);
    }
  }
}
