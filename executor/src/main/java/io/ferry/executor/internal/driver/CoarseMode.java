package io.ferry.executor.internal.driver;

import io.ferry.executor.TaskControl;
import io.ferry.executor.internal.TaskPool;
import io.ferry.executor.internal.Tags;
import io.ferry.rpc.DriverConnection;
import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.RegisterSlots;
import io.ferry.rpc.proto.RunTask;
import io.ferry.rpc.proto.TaskResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
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
 * <p>Confined to the core thread; task bodies run on each slot holder's pool.
 */
final class CoarseMode {
  private static final Logger log = LoggerFactory.getLogger(CoarseMode.class);

  private final DriverConnection driver;
  private final FerryTaskRunner runner;
  private final Executor core;
  private final String executorId;
  private final String hostname;
  private final Map<String, SlotHolder> holders = new HashMap<>();
  private final Map<Long, Running> running = new HashMap<>();

  private static final class SlotHolder {
    final String id;
    final TaskControl control;
    final TaskPool pool;
    final String tag;
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
   * result goes to the driver: the core thread forgets the task only a moment later, and a
   * ReleaseSlots that the driver sends once it has every result may come in between.
   */
  private record Running(SlotHolder holder, ExecutorTaskContext context, TaskPool.Running run,
      AtomicBoolean resultDecided) {}

  CoarseMode(DriverConnection driver, FerryTaskRunner runner, Executor core, String executorId, String hostname) {
    this.driver = driver;
    this.runner = runner;
    this.core = core;
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

  void onRunTask(RunTask run) {
    SlotHolder holder = holders.get(run.getMesosTaskId());
    if (holder == null || holder.ended) {
      log.warn("{} RunTask {} for slot task '{}', which is not running here", Tags.executor(executorId),
          run.getTaskId(), run.getMesosTaskId());
      driver.send(Frame.newBuilder().setTaskResult(TaskResult.newBuilder().setTaskId(run.getTaskId())
          .setOutcome(TaskResult.Outcome.FAILED).setMessage("slot task '" + run.getMesosTaskId()
              + "' is not running on executor " + executorId)).build());
      return;
    }
    ExecutorTaskContext context = new ExecutorTaskContext(run.getTaskId(), run.getAttempt(), executorId, hostname);
    String tag = Tags.task(executorId, holder.id + "/" + run.getTaskId());
    AtomicBoolean resultDecided = new AtomicBoolean();
    TaskPool.Running handle = holder.pool.submit(() -> {
      runner.run(run, context, () -> { }, () -> resultDecided.set(true), tag);
      core.execute(() -> running.remove(run.getTaskId()));
    });
    running.put(run.getTaskId(), new Running(holder, context, handle, resultDecided));
  }

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

  private void end(SlotHolder holder, boolean released) {
    if (holder.ended) {
      return;
    }
    holder.ended = true;
    holders.remove(holder.id);
    List<Running> inside = new ArrayList<>();
    running.values().forEach(r -> {
      if (r.holder() == holder && !r.resultDecided().get()) {
        inside.add(r);
      }
    });
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
