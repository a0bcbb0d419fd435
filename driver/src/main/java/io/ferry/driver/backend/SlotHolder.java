package io.ferry.driver.backend;

import io.ferry.driver.scheduling.Attempt;
import io.ferry.rpc.PeerConnection;
import io.ferry.rpc.proto.TaskResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Coarse mode: one executor's Mesos slot task and what the driver runs in it. Every field but
 * {@link #inbox} is guarded by the {@link CoarseGrainedBackend}'s lock.
 *
 * <h2>How many tasks are sent ahead</h2>
 * A slot that gets its next task only when its last result has reached the driver idles for a
 * round trip between tasks: for tasks of a few microseconds that caps coarse mode at about
 * slots / round trip (28,000 tasks/s here, BENCHMARKS.md). Sending tasks ahead, queued on the
 * executor, removes the wait, but a task queued behind a long one waits though another slot may
 * be free, and what is queued on one executor cannot move to another: the job's tail grows. So a
 * slot is sent ahead only about {@link #AHEAD_NANOS} of work, judged by the run time executors
 * report ({@code TaskResult.run_nanos}, a moving average), and never more than
 * {@code ferry.mesos.coarse.tasksInFlightPerSlot} tasks: tasks of a millisecond or more go one at
 * a time, as Spark sends them; tasks of microseconds go up to that cap at once. Until the first
 * result a slot gets one task.
 */
final class SlotHolder {
  /**
   * Work sent ahead to each slot beyond the task it runs: about one round trip on a loaded
   * loopback link or a LAN (0.1-1 ms), which is what keeps a slot busy, and the most a task waits
   * in a slot's queue for the tasks ahead of it.
   */
  static final long AHEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** Weight of each new run time in the moving average: about the last 8 results count. */
  private static final double WEIGHT = 1.0 / 8;

  final String agentId;
  final String executorId;
  final String slotTaskId;
  final int cores;
  PeerConnection connection;
  /** Slots the executor registered (at most {@link #cores}). */
  int slots;
  boolean ended;
  /**
   * {@link System#nanoTime()} when the executor registered its first slots: elastic mode's max
   * lifetime counts from here ({@link #register}); meaningless while {@link #slots} is 0.
   */
  long registeredAt;
  /**
   * Since when no task has been in flight here ({@link System#nanoTime()}), from the registration
   * of its slots on: an executor still fetching or starting is not idle ({@link #register}).
   */
  long idleSince;
  /**
   * Being retired (elastic mode): gets no new task; once its tasks in flight have answered, the
   * driver releases its slots, its slot task ends TASK_FINISHED and the executor exits.
   */
  String retiring;
  /** ReleaseSlots was sent (at retirement or at the application's end). */
  boolean released;
  /** Tasks sent and not yet answered: the attempt of each, by task id. */
  final Map<Long, Attempt> running = new HashMap<>();
  /** Mean run time of this executor's recent tasks (ns); 0 until the first result. */
  private double meanRunNanos;
  /**
   * Results read from the connection and not yet applied: touched only on the connection's event
   * loop, applied together when the read completes (or the link ends).
   */
  final List<TaskResult> inbox = new ArrayList<>();

  SlotHolder(String agentId, String executorId, String slotTaskId, int cores) {
    this.agentId = agentId;
    this.executorId = executorId;
    this.slotTaskId = slotTaskId;
    this.cores = cores;
  }

  /**
   * The executor registered {@code more} slots (at most {@link #cores} in all). Its idle time and its
   * lifetime start with the first: a slow fetch or JVM start is neither idleness nor work (counted
   * from the launch, a start longer than the idle timeout or the max lifetime would retire the
   * executor before its first task, and replace it with another that does the same).
   */
  void register(int more, long now) {
    if (slots == 0) {
      registeredAt = now;
      idleSince = now;
    }
    slots = Math.min(slots + more, cores);
  }

  /** Whether the executor registered its slots, so that it can take tasks (or, unasked, idle). */
  boolean registered() {
    return connection != null && slots > 0;
  }

  /** A task's run time, as its executor reported it. */
  void ran(long runNanos) {
    meanRunNanos = meanRunNanos == 0 ? runNanos : meanRunNanos + WEIGHT * (runNanos - meanRunNanos);
  }

  /**
   * Tasks each slot may hold now (running and queued): 1, plus as many as fit in {@link #AHEAD_NANOS}
   * of work, at most {@code cap} in all. Tasks longer than that go one at a time.
   */
  int tasksPerSlot(int cap) {
    if (meanRunNanos == 0) {
      return 1;
    }
    double ahead = Math.floor(AHEAD_NANOS / Math.max(meanRunNanos, 1));
    return (int) Math.max(1, Math.min(cap, 1 + ahead));
  }

  /** Whether one more task of {@code taskCpus} may be sent here now. */
  boolean canTake(int taskCpus, int cap) {
    return connection != null && !ended && retiring == null && slots > 0
        && (long) (running.size() + 1) * taskCpus <= (long) slots * tasksPerSlot(cap);
  }

  /** The holder whose slots are asked the fewest cpus by tasks in flight (the first of equals). */
  static SlotHolder leastLoaded(List<SlotHolder> holders, int taskCpus) {
    SlotHolder best = holders.get(0);
    for (SlotHolder h : holders) {
      if (h.load(taskCpus) < best.load(taskCpus)) {
        best = h;
      }
    }
    return best;
  }

  /**
   * Whether a retiring holder's slots are to be released now: every task sent to it has answered,
   * it is connected, and nothing released it yet; marks it released when so. Under the lock.
   */
  boolean releaseIfRetired() {
    if (retiring == null || released || ended || !running.isEmpty() || connection == null) {
      return false;
    }
    released = true;
    return true;
  }

  /** Holders that take tasks: launched, not retiring (elastic mode counts these against its target). */
  static int taking(Collection<SlotHolder> holders) {
    int n = 0;
    for (SlotHolder h : holders) {
      if (h.retiring == null) {
        n++;
      }
    }
    return n;
  }

  /** Tasks sent to the holders and not yet answered. */
  static int inFlight(Collection<SlotHolder> holders) {
    int n = 0;
    for (SlotHolder h : holders) {
      n += h.running.size();
    }
    return n;
  }

  /** Cpus asked of each slot by the tasks in flight: dispatch fills the least loaded holder first. */
  double load(int taskCpus) {
    return slots == 0 ? Double.MAX_VALUE : (double) running.size() * taskCpus / slots;
  }
}
