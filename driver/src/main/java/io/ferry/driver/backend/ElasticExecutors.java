package io.ferry.driver.backend;

import io.ferry.driver.DynamicAllocation;
import io.ferry.driver.mesos.internal.NamedThreads;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Elastic coarse mode's decisions for the {@link CoarseGrainedBackend}: the target
 * ({@link ExecutorTarget}), which executors retire and when, and the timer that asks. With
 * {@code ferry.dynamicAllocation.enabled=false} it wants every executor it can get and retires
 * none. Not thread-safe: called under the backend's lock, except {@link #start} and {@link #stop}.
 */
final class ElasticExecutors {
  private final DynamicAllocation settings;
  private final ExecutorTarget target;
  private ScheduledThreadPoolExecutor timer;

  ElasticExecutors(DynamicAllocation settings) {
    this.settings = settings;
    this.target = settings.enabled() ? new ExecutorTarget(settings) : null;
  }

  /** Runs {@code tick} every 10-100 ms (a quarter of the shorter timeout) while elastic mode is on. */
  synchronized void start(Runnable tick) {
    if (target == null || timer != null) {
      return;
    }
    long every = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(TimeUnit.MILLISECONDS.toNanos(100),
        Math.min(settings.schedulerBacklogTimeout().toNanos(), settings.executorIdleTimeout().toNanos()) / 4));
    timer = new ScheduledThreadPoolExecutor(1, NamedThreads.single("ferry-allocation"));
    timer.setRemoveOnCancelPolicy(true);
    timer.scheduleWithFixedDelay(tick, every, every, TimeUnit.NANOSECONDS);
  }

  synchronized void stop() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }

  /** Whether more executors are wanted than the {@code taking} ones that take tasks now. */
  boolean belowTarget(int taking) {
    return target == null || taking < target.target();
  }

  /** The target against the tasks waiting and in flight now ({@link ExecutorTarget#update}). */
  void update(long now, int waiting, Collection<SlotHolder> holders, int tasksPerExecutor) {
    if (target != null) {
      target.update(now, waiting, SlotHolder.inFlight(holders), SlotHolder.taking(holders), tasksPerExecutor);
    }
  }

  /** For the launch log: the target and why it grew. */
  String whyLaunched() {
    return target == null ? "" : "; target " + target.target() + " executor(s): " + target.reason();
  }

  /**
   * Marks the executors that retire now: those that took tasks for {@code executorMaxLifetime}
   * (busy or not), and those idle for {@code executorIdleTimeout} while more than
   * {@code minExecutors} take tasks. Both count from the registration of the executor's slots, not
   * its launch: an executor still fetching, starting or connecting is left alone.
   *
   * @return a log line for each busy one (its slots are released once its tasks have answered)
   */
  List<String> markRetiring(long now, Collection<SlotHolder> holders) {
    List<String> busy = new ArrayList<>();
    if (target == null) {
      return busy;
    }
    int taking = SlotHolder.taking(holders);
    for (SlotHolder h : holders) {
      if (h.ended || h.retiring != null || !h.registered()) {
        continue;
      }
      if (settings.executorMaxLifetime().isPresent()
          && now - h.registeredAt >= settings.executorMaxLifetime().get().toNanos()) {
        taking--;
        h.retiring = "it reached ferry.dynamicAllocation.executorMaxLifetime "
            + settings.executorMaxLifetime().get().toSeconds() + " s";
        if (!h.running.isEmpty()) {
          busy.add("executor " + h.executorId + " on agent " + h.agentId + " retires (" + h.retiring
              + "): no new tasks; its slots are released once its " + h.running.size() + " task(s) in flight have"
              + " answered");
        }
      } else if (h.running.isEmpty() && now - h.idleSince >= settings.executorIdleTimeout().toNanos()
          && taking > settings.minExecutors()) {
        taking--;
        h.retiring = "idle for " + settings.executorIdleTimeout().toSeconds() + " s";
      }
    }
    return busy;
  }

  /** The retiring executors whose tasks have all answered, marked released: release their slots now. */
  static List<SlotHolder> toRelease(Collection<SlotHolder> holders) {
    List<SlotHolder> release = new ArrayList<>();
    for (SlotHolder h : holders) {
      if (h.releaseIfRetired()) {
        release.add(h);
      }
    }
    return release;
  }
}
