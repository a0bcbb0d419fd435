package io.ferry.driver.backend;

import com.google.protobuf.ByteString;
import io.ferry.driver.FerryConf;
import io.ferry.driver.mesos.SchedulerLinkConfig;
import io.ferry.driver.scheduling.Attempt;
import io.ferry.driver.scheduling.TaskScheduler;
import io.ferry.rpc.PeerConnection;
import io.ferry.rpc.PeerText;
import io.ferry.rpc.RpcException;
import io.ferry.rpc.proto.CancelTask;
import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.Mode;
import io.ferry.rpc.proto.ReleaseSlots;
import io.ferry.rpc.proto.TaskResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coarse-grained mode ({@code ferry.mesos.coarse=true}): long-running Mesos "slot" tasks hold
 * whole cores, never more than {@code ferry.cores.max} in total: one per agent with every core it
 * offers, or, with {@code ferry.executor.cores}, as many executors of that many cores as offers hold;
 * the executor registers its slots over the driver link and the driver runs its small tasks
 * there directly, without Mesos in the loop. The slot task ends ({@code TASK_FINISHED}) when
 * the driver releases it at {@code close()}.
 */
public final class CoarseGrainedBackend extends MesosBackend {
  private static final Logger log = LoggerFactory.getLogger(CoarseGrainedBackend.class);

  /** Results applied at once when a read brings more (bounds the inbox and the wait of the first). */
  static final int MAX_RESULTS_PER_BATCH = 1024;

  private final Map<String, SlotHolder> byExecutorId = new HashMap<>();
  private final Map<String, SlotHolder> bySlotTask = new HashMap<>();
  private int generation;
  private int coresHeld;
  /** Elastic coarse mode ({@code ferry.dynamicAllocation.*}): the target, retirements, its timer. */
  private final ElasticExecutors elastic;
  private int executorsAdded;
  private int executorsRetired;
  /** Cores of the executor launched last: the size elastic mode expects when none is live. */
  private int lastExecutorCores;
  /**
   * Failure injection for tests: runs in {@link #offers}, under the lock, right after the task count
   * was read (a task submitted from another thread there is the race the single read closes).
   */
  volatile Runnable afterWorkCheck = () -> { };

  public CoarseGrainedBackend(FerryConf conf, TaskScheduler scheduler, SchedulerLinkConfig.Builder linkConfig) {
    super(conf, scheduler, linkConfig);
    this.elastic = new ElasticExecutors(conf.dynamicAllocation());
  }

  /** Starts as {@link MesosBackend#start} does, then elastic mode's timer (growth and retirement). */
  @Override
  public void start(List<Path> jars) throws RpcException, InterruptedException {
    super.start(jars);
    elastic.start(this::allocationTick);
  }

  @Override
  protected Mode mode() {
    return Mode.COARSE;
  }

  private int coresMax() {
    return conf.coresMax().isPresent() ? conf.coresMax().getAsInt() : Integer.MAX_VALUE;
  }

  /** Total cores held by slot tasks now (for tests and logs). */
  public synchronized int coresHeld() {
    return coresHeld;
  }

  @Override
  public void offers(List<Offer> offers) {
    for (Offer offer : offers) {
      String agentId = offer.getAgentId().getValue();
      // The check, the decline and the SUPPRESS are one step against workArrived() (see
      // FineGrainedBackend.offers): a REVIVE always follows a SUPPRESS it should undo. The task
      // count is the scheduler's, not under this lock, so it is read once: read again, it could
      // see a task submitted after the first read, decline for "no work" with the long filter and
      // skip the SUPPRESS, and that task's workArrived() then had nothing to REVIVE (the agent
      // stayed filtered for ferry.mesos.rejectOfferDuration).
      synchronized (this) {
        boolean noWork = scheduler.activeCount() == 0;
        afterWorkCheck.run();
        // Unset ferry.executor.cores: one executor per agent, which took every core it offered.
        boolean wanted = !noWork && coresHeld < coresMax() && belowTarget()
            && (conf.coarseExecutorCores().isPresent() || !hasExecutorOn(agentId));
        if (!wanted) {
          decline(offer, true);
          if (noWork || coresHeld >= coresMax() || !belowTarget()) {
            suppressOffers();
          }
          continue;
        }
      }
      if (!constraints.matches(offer.getAttributesList())) {
        starvation.offered(offer, StarvationWatch.Verdict.CONSTRAINTS);
        decline(offer, true);
        continue;
      }
      if (scheduler.isExcluded(agentId)) {
        starvation.offered(offer, StarvationWatch.Verdict.EXCLUDED);
        decline(offer, true);
        continue;
      }
      useOffer(offer);
    }
  }

  private void useOffer(Offer offer) {
    String agentId = offer.getAgentId().getValue();
    OfferResources free = new OfferResources(offer);
    double mem = conf.executorMemoryMb() + conf.executorMemoryOverheadMb();
    List<TaskInfo> tasks = new ArrayList<>();
    List<SlotHolder> launched = new ArrayList<>();
    synchronized (this) {
      // ferry.executor.cores set: as many executors of that size as the offer holds; unset: one
      // executor with every whole core offered. Either way never beyond ferry.cores.max.
      while (belowTarget()) {
        int cores = coresOfNextExecutor(free);
        if (cores == 0 || !free.has(cores, mem)) {
          break;
        }
        generation++;
        String executorId = "ferry-" + agentId + "-" + generation;
        String slotTaskId = "ferry-slots-" + generation;
        List<org.apache.mesos.v1.Protos.Resource> memory = free.take(0, mem);
        ExecutorInfo info = executors.build(executorId, conf.appName(), memory, true);
        tasks.add(taskInfo(slotTaskId, "Ferry slots (" + cores + " cores)", offer)
            .addAllResources(free.take(cores, 0))
            .addAllResources(takeGpus(free, slotTaskId, Integer.MAX_VALUE))
            .setExecutor(info)
            .setData(ByteString.copyFrom(launchRecord(executorId)))
            .build());
        SlotHolder holder = new SlotHolder(agentId, executorId, slotTaskId, cores);
        byExecutorId.put(executorId, holder);
        bySlotTask.put(slotTaskId, holder);
        coresHeld += cores;
        lastExecutorCores = cores;
        executorsAdded++;
        launched.add(holder);
        if (conf.coarseExecutorCores().isEmpty()) {
          break; // one executor per agent takes the whole offer
        }
      }
    }
    if (launched.isEmpty()) {
      starvation.offered(offer, StarvationWatch.Verdict.TOO_SMALL);
      decline(offer, false);
      return;
    }
    starvation.launched();
    String why = whyLaunched();
    for (SlotHolder holder : launched) {
      log.info("launching executor {} with {} cores on agent {} ({} of {} cores held{})", holder.executorId,
          holder.cores, agentId, coresHeld(), conf.coresMax().isPresent() ? conf.coresMax().getAsInt() : "all", why);
    }
    launch(offer, tasks, () -> launched.forEach(h -> holderEnded(h, "Mesos refused the launch", false)));
  }

  /**
   * The whole cores the next executor carved out of {@code free} gets: {@code ferry.executor.cores}
   * when set, else every whole core left; 0 when that is not possible within {@code ferry.cores.max}
   * or fewer than {@code ferry.task.cpus}. Under the lock.
   */
  private int coresOfNextExecutor(OfferResources free) {
    int left = coresMax() - coresHeld;
    int whole = (int) Math.min(Math.floor(free.cpus() + ExecutorNeeds.EPSILON), Integer.MAX_VALUE);
    int cores = conf.coarseExecutorCores().isPresent() ? conf.coarseExecutorCores().getAsInt() : Math.min(whole, left);
    return cores >= conf.taskCpus() && cores <= left && cores <= whole ? cores : 0;
  }

  /** Whether elastic mode wants more executors than take tasks now (always, when it is off). Under the lock. */
  private boolean belowTarget() {
    return elastic.belowTarget(SlotHolder.taking(byExecutorId.values()));
  }

  /**
   * Tasks one executor runs at once: its cores over ferry.task.cpus. With ferry.executor.cores
   * unset, the mean of the executors held, else the size of the last one launched.
   */
  private int tasksPerExecutor() {
    int executors = byExecutorId.size();
    int cores = conf.coarseExecutorCores().isPresent() ? conf.coarseExecutorCores().getAsInt()
        : executors > 0 ? coresHeld / executors : Math.max(lastExecutorCores, conf.taskCpus());
    return Math.max(1, cores / conf.taskCpus());
  }

  /** Elastic mode's target against the tasks waiting and in flight now. Under the lock. */
  private void updateTarget(long now) {
    elastic.update(now, scheduler.pendingCount(), byExecutorId.values(), tasksPerExecutor());
  }

  /** For the launch log: the target and why it grew (elastic mode). */
  private synchronized String whyLaunched() {
    return elastic.whyLaunched();
  }

  /**
   * Elastic mode, every tick: grows the target with the backlog (REVIVE when it did), and retires
   * executors idle for {@code executorIdleTimeout} (down to {@code minExecutors}) or older than
   * {@code executorMaxLifetime}. A retiring executor gets no new task; once its tasks in flight have
   * answered its slots are released.
   */
  private void allocationTick() {
    try {
      List<SlotHolder> release;
      List<String> busyRetiring;
      boolean wantMore;
      synchronized (this) {
        long now = System.nanoTime();
        updateTarget(now);
        busyRetiring = elastic.markRetiring(now, byExecutorId.values());
        release = ElasticExecutors.toRelease(byExecutorId.values());
        wantMore = scheduler.pendingCount() > 0 && belowTarget() && coresHeld < coresMax();
      }
      busyRetiring.forEach(log::info);
      for (SlotHolder h : release) {
        log.info("retiring executor {} on agent {} ({}): releasing its {} cores", h.executorId, h.agentId,
            h.retiring, h.cores);
        release(h);
      }
      if (wantMore) {
        wantOffers();
      }
    } catch (RuntimeException e) {
      log.error("elastic coarse mode's timer failed; executors are neither added nor retired until the next tick", e);
    }
  }

  /** Asks the executor to end its slot task (TASK_FINISHED); the driver says goodbye when Mesos reports it. */
  private void release(SlotHolder holder) {
    holder.connection.send(Frame.newBuilder()
        .setReleaseSlots(ReleaseSlots.newBuilder().setSlotTaskId(holder.slotTaskId)).build());
  }

  /** Coarse mode's executors: live, added and retired so far. */
  public synchronized ExecutorCounts executorCounts() {
    return new ExecutorCounts(byExecutorId.size(), executorsAdded, executorsRetired);
  }

  /** Whether a live executor of this application runs on the agent. Under the lock. */
  private boolean hasExecutorOn(String agentId) {
    for (SlotHolder h : byExecutorId.values()) {
      if (h.agentId.equals(agentId)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void workArrived() {
    Map<SlotHolder, List<Attempt>> started = new LinkedHashMap<>();
    synchronized (this) {
      List<SlotHolder> open = new ArrayList<>();
      for (SlotHolder h : byExecutorId.values()) {
        if (h.canTake(conf.taskCpus(), cap())) {
          open.add(h);
        }
      }
      // The least loaded holder first, one task at a time: with several tasks in flight per slot,
      // filling one executor's queue before the next would leave the other's slots idle while
      // tasks wait in line here (a few tasks in flight would all go to one executor).
      while (!open.isEmpty()) {
        SlotHolder h = SlotHolder.leastLoaded(open, conf.taskCpus());
        Optional<Attempt> next = scheduler.nextAttempt(h.agentId, h.executorId, h.slotTaskId);
        if (next.isEmpty()) {
          open.remove(h); // nothing pending may run on this agent (or nothing is pending)
          continue;
        }
        take(h, next.get());
        started.computeIfAbsent(h, k -> new ArrayList<>()).add(next.get());
        if (!h.canTake(conf.taskCpus(), cap())) {
          open.remove(h);
        }
      }
      // workArrived runs for every task submitted: the target is the timer's work (growth waits a
      // backlog timeout anyway), but work for an application with no executor launches one now.
      if (byExecutorId.isEmpty()) {
        updateTarget(System.nanoTime());
      }
      if (coresHeld < coresMax() && scheduler.pendingCount() > 0 && belowTarget()) {
        wantOffers();
      }
    }
    started.forEach(this::send);
  }

  /** Marks the attempt as in flight on the holder. Under the lock. */
  private void take(SlotHolder holder, Attempt attempt) {
    holder.running.put(attempt.taskId(), attempt);
  }

  /** {@code ferry.mesos.coarse.tasksInFlightPerSlot}: the most tasks a slot holds (see {@link SlotHolder}). */
  private int cap() {
    return conf.coarseTasksInFlightPerSlot();
  }

  /** Sends the attempts' RunTasks together (one flush); outside the lock. */
  private void send(SlotHolder holder, List<Attempt> attempts) {
    List<Frame> frames = new ArrayList<>(attempts.size());
    for (Attempt a : attempts) {
      frames.add(runTask(a));
    }
    holder.connection.sendAll(frames);
  }

  /** Fills the holder's free slots with pending tasks; sends outside the lock. */
  private void dispatch(SlotHolder holder) {
    List<Attempt> started = new ArrayList<>();
    synchronized (this) {
      while (holder.canTake(conf.taskCpus(), cap())) {
        Optional<Attempt> next = scheduler.nextAttempt(holder.agentId, holder.executorId, holder.slotTaskId);
        if (next.isEmpty()) {
          break;
        }
        take(holder, next.get());
        started.add(next.get());
      }
    }
    if (!started.isEmpty()) {
      send(holder, started);
    }
  }

  @Override
  public void onConnected(PeerConnection peer) {
    synchronized (this) {
      SlotHolder holder = byExecutorId.get(peer.executorId());
      if (holder == null || holder.ended) {
        peer.close("this executor is no longer part of the application");
        return;
      }
      holder.connection = peer;
    }
  }

  @Override
  public void onFrame(PeerConnection peer, Frame frame) {
    if (frame.hasClassesRequest()) {
      classes.answer(peer, frame.getClassesRequest());
      return;
    }
    SlotHolder holder;
    synchronized (this) {
      holder = byExecutorId.get(peer.executorId());
    }
    if (holder == null) {
      return;
    }
    if (frame.hasRegisterSlots()) {
      synchronized (this) {
        if (!frame.getRegisterSlots().getSlotTaskId().equals(holder.slotTaskId)) {
          log.warn("executor {} registered slots of unknown task {}", peer.executorId(),
              PeerText.escape(frame.getRegisterSlots().getSlotTaskId()));
          return;
        }
        // Tasks beyond one per slot wait in the executor's queue (SlotHolder: how many).
        holder.register(frame.getRegisterSlots().getSlots(), System.nanoTime());
      }
      log.info("executor {} on agent {} offers {} slots", holder.executorId, holder.agentId,
          frame.getRegisterSlots().getSlots());
      dispatch(holder);
    } else if (frame.hasTaskResult()) {
      // Applied when this read completes, with the other results it brought (onReadComplete).
      holder.inbox.add(frame.getTaskResult());
      if (holder.inbox.size() >= MAX_RESULTS_PER_BATCH) {
        applyResults(holder);
      }
    }
  }

  @Override
  public void onReadComplete(PeerConnection peer) {
    SlotHolder holder;
    synchronized (this) {
      holder = byExecutorId.get(peer.executorId());
    }
    if (holder != null && !holder.inbox.isEmpty()) {
      applyResults(holder);
    }
  }

  /**
   * On the holder's event loop: frees the slots of the results in its inbox, completes their tasks
   * (successes as one batch: one scheduler lock, one hand-off to the results thread) and refills
   * the slots with one write.
   */
  private void applyResults(SlotHolder holder) {
    List<TaskResult> results = new ArrayList<>(holder.inbox);
    holder.inbox.clear();
    List<Attempt> attempts = new ArrayList<>(results.size());
    boolean releaseNow = false;
    synchronized (this) {
      for (TaskResult result : results) {
        Attempt attempt = holder.running.remove(result.getTaskId());
        if (attempt != null && result.getOutcome() == TaskResult.Outcome.SUCCESS) {
          holder.ran(result.getRunNanos());
        }
        attempts.add(attempt);
      }
      if (holder.running.isEmpty()) {
        holder.idleSince = System.nanoTime();
        releaseNow = holder.releaseIfRetired(); // its last task answered: a retirement can end now
      }
    }
    Outcomes.applyAll(scheduler, attempts, results);
    if (releaseNow) {
      log.info("retiring executor {} on agent {} ({}): its last task answered, releasing its {} cores",
          holder.executorId, holder.agentId, holder.retiring, holder.cores);
      release(holder);
    } else {
      dispatch(holder);
    }
  }

  @Override
  public void onDisconnected(PeerConnection peer, String reason) {
    SlotHolder holder;
    synchronized (this) {
      holder = byExecutorId.get(peer.executorId());
    }
    if (holder != null && !holder.inbox.isEmpty()) {
      applyResults(holder); // results that arrived before the link ended count, exactly once
    }
    executorLost(peer.executorId(), "lost the link to executor " + peer.executorId() + ": " + reason);
  }

  @Override
  public void update(TaskStatus status) {
    if (!isTerminal(status.getState())) {
      return;
    }
    SlotHolder holder;
    synchronized (this) {
      holder = bySlotTask.get(status.getTaskId().getValue());
    }
    if (holder == null) {
      return;
    }
    boolean retired;
    synchronized (this) {
      retired = holder.retiring != null && status.getState() == TaskState.TASK_FINISHED && !holder.ended;
      if (retired) {
        executorsRetired++;
      }
    }
    if (retired) {
      log.info("executor {} on agent {} retired ({}); {} cores now held", holder.executorId, holder.agentId,
          holder.retiring, coresHeld() - holder.cores);
      holderEnded(holder, "retired (" + holder.retiring + ")", false);
    } else {
      // A container limit (memory, disk) is the tasks' doing and counts as their failure; the
      // executor's or agent's end is not (TaskEnds).
      holderEnded(holder, "its Mesos task ended: " + describe(status), !TaskEnds.executorOrAgentLost(status));
    }
  }

  @Override
  protected void executorLost(String executorId, String reason) {
    SlotHolder holder;
    synchronized (this) {
      holder = byExecutorId.get(executorId);
    }
    if (holder != null) {
      holderEnded(holder, reason, false);
    }
  }

  @Override
  protected void agentLost(String agentId) {
    List<SlotHolder> onAgent = new ArrayList<>();
    synchronized (this) {
      for (SlotHolder h : byExecutorId.values()) {
        if (h.agentId.equals(agentId)) {
          onAgent.add(h);
        }
      }
    }
    onAgent.forEach(h -> holderEnded(h, "agent " + agentId + " was lost", false));
  }

  /**
   * The executor and its cores are gone: its tasks run again; the agent may be used again.
   *
   * @param tasksAtFault the running tasks' failure (a container limit), not a loss of the
   *     executor under them, which is neither counted as their failure nor held against the agent
   */
  private void holderEnded(SlotHolder holder, String reason, boolean tasksAtFault) {
    List<Attempt> lost;
    synchronized (this) {
      if (holder.ended) {
        return;
      }
      holder.ended = true;
      byExecutorId.remove(holder.executorId);
      coresHeld -= holder.cores;
      lost = new ArrayList<>(holder.running.values());
      holder.running.clear();
      rpc.revokeToken(holder.executorId);
    }
    if (holder.connection != null) {
      holder.connection.close(reason);
    }
    if (!lost.isEmpty()) {
      log.warn("executor {}: {}; its {} running task(s) will run again{}", holder.executorId, reason, lost.size(),
          tasksAtFault ? "" : " (an executor's loss is not counted as their failure)");
    }
    String cause = "executor " + holder.executorId + ": " + reason;
    lost.forEach(a -> {
      if (tasksAtFault) {
        scheduler.failed(a, cause, "");
      } else {
        scheduler.lost(a, cause);
      }
    });
    boolean wantMore;
    synchronized (this) {
      wantMore = scheduler.pendingCount() > 0 && belowTarget();
    }
    if (wantMore) {
      wantOffers();
    }
  }

  @Override
  public void kill(Attempt attempt) {
    PeerConnection connection = null;
    synchronized (this) {
      SlotHolder holder = byExecutorId.get(attempt.executorId());
      if (holder != null && holder.running.containsKey(attempt.taskId())) {
        connection = holder.connection;
      }
    }
    if (connection != null) {
      // The slot frees when the executor reports the kill (TaskResult KILLED).
      connection.send(Frame.newBuilder().setCancelTask(CancelTask.newBuilder().setTaskId(attempt.taskId())).build());
    }
  }

  @Override
  protected synchronized boolean nothingRuns() {
    return coresHeld == 0;
  }

  @Override
  protected synchronized List<TaskStatus> knownTasks() {
    List<TaskStatus> known = new ArrayList<>();
    for (SlotHolder h : bySlotTask.values()) {
      if (!h.ended) {
        known.add(believedRunning(h.slotTaskId, h.agentId));
      }
    }
    return known;
  }

  /** Releases every slot task (they end TASK_FINISHED), waits briefly for that, then tears down. */
  @Override
  public void close() {
    List<SlotHolder> holders;
    List<SlotHolder> release = new ArrayList<>();
    elastic.stop();
    synchronized (this) {
      holders = new ArrayList<>(bySlotTask.values());
      for (SlotHolder h : holders) {
        if (h.connection != null && !h.ended && !h.released) {
          h.released = true;
          release.add(h);
        }
      }
    }
    release.forEach(this::release);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline && holders.stream().anyMatch(h -> !isEnded(h))) {
      try {
        Thread.sleep(20); // waiting for Mesos's TASK_FINISHED updates, bounded
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    super.close();
  }

  private synchronized boolean isEnded(SlotHolder h) {
    return h.ended;
  }
}
