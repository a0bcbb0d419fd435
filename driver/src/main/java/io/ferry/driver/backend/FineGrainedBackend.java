package io.ferry.driver.backend;

import com.google.protobuf.ByteString;
import io.ferry.driver.FerryConf;
import io.ferry.driver.mesos.SchedulerLinkConfig;
import io.ferry.driver.scheduling.Attempt;
import io.ferry.driver.scheduling.TaskScheduler;
import io.ferry.rpc.PeerConnection;
import io.ferry.rpc.PeerText;
import io.ferry.rpc.proto.CancelTask;
import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.Mode;
import io.ferry.rpc.proto.TaskResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fine-grained mode (the default): every Ferry task is a Mesos task, launched in batches per
 * offer onto one executor per agent whose own cpus and memory are charged once. The task's body
 * travels over the driver link ({@code FetchTask} -> {@code RunTask}), its result back the same
 * way; Mesos only sees small launch records. Resources return to Mesos as tasks end.
 */
public final class FineGrainedBackend extends MesosBackend {
  private static final Logger log = LoggerFactory.getLogger(FineGrainedBackend.class);

  /** One executor process on one agent; a lost one is replaced by the next generation. */
  private static final class AgentExecutor {
    final String agentId;
    final String executorId;
    final ExecutorInfo info;
    final ByteString launchRecord;
    PeerConnection connection;
    boolean lost;
    final Map<Long, Attempt> running = new HashMap<>();

    AgentExecutor(String agentId, String executorId, ExecutorInfo info, ByteString launchRecord) {
      this.agentId = agentId;
      this.executorId = executorId;
      this.info = info;
      this.launchRecord = launchRecord;
    }
  }

  private final Map<String, AgentExecutor> byAgent = new HashMap<>();
  private final Map<String, AgentExecutor> byExecutorId = new HashMap<>();
  private final Map<String, Integer> generations = new HashMap<>();
  private final Map<String, Attempt> byMesosTask = new HashMap<>();
  /**
   * Mesos tasks launched whose terminal update has not come yet (a task's result arrives over the
   * link before its TASK_FINISHED): {@link #close()} waits for them, briefly, before TEARDOWN.
   */
  private final Set<String> awaitingMesosEnd = new HashSet<>();

  /** How long {@link #close()} waits for the last terminal updates (coarse mode waits as long). */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  public FineGrainedBackend(FerryConf conf, TaskScheduler scheduler, SchedulerLinkConfig.Builder linkConfig) {
    super(conf, scheduler, linkConfig);
  }

  @Override
  protected Mode mode() {
    return Mode.FINE;
  }

  /** Called after the task is queued; synchronized with the idle check in {@link #offers}. */
  @Override
  public synchronized void workArrived() {
    wantOffers();
  }

  @Override
  public void offers(List<Offer> offers) {
    for (Offer offer : offers) {
      // Checking for work and suppressing must be one step against workArrived(): otherwise a task
      // submitted in between finds offers not yet suppressed (no REVIVE), and then waits behind
      // the SUPPRESS and the long decline filter.
      synchronized (this) {
        if (scheduler.pendingCount() == 0) {
          decline(offer, true);
          suppressOffers();
          continue;
        }
      }
      if (!constraints.matches(offer.getAttributesList())) {
        starvation.offered(offer, StarvationWatch.Verdict.CONSTRAINTS);
        decline(offer, true);
        continue;
      }
      if (scheduler.isExcluded(offer.getAgentId().getValue())) {
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
    double executorCpus = conf.executorCores();
    double executorMem = conf.executorMemoryMb() + conf.executorMemoryOverheadMb();
    List<TaskInfo> tasks = new ArrayList<>();
    List<Attempt> attempts = new ArrayList<>();
    synchronized (this) {
      AgentExecutor executor = byAgent.get(agentId);
      boolean fresh = executor == null || executor.lost;
      if (fresh) {
        if (!free.has(executorCpus + conf.taskCpus(), executorMem)) {
          starvation.offered(offer, StarvationWatch.Verdict.TOO_SMALL);
          decline(offer, false);
          return;
        }
        executor = newExecutor(agentId, free.take(executorCpus, executorMem));
      } else if (!free.has(conf.taskCpus(), 0)) {
        starvation.offered(offer, StarvationWatch.Verdict.TOO_SMALL);
        decline(offer, false);
        return;
      }
      while (free.has(conf.taskCpus(), 0)) {
        Optional<Attempt> next = scheduler.nextAttempt(agentId, executor.executorId, null);
        if (next.isEmpty()) {
          break;
        }
        Attempt attempt = next.get();
        tasks.add(taskInfo(attempt.mesosTaskId(), attempt.name(), offer)
            .addAllResources(free.take(conf.taskCpus(), 0))
            .addAllResources(takeGpus(free, attempt.mesosTaskId(), 1))
            .setExecutor(executor.info)
            .setData(executor.launchRecord)
            .build());
        attempts.add(attempt);
        byMesosTask.put(attempt.mesosTaskId(), attempt);
        awaitingMesosEnd.add(attempt.mesosTaskId());
        executor.running.put(attempt.taskId(), attempt);
      }
      if (tasks.isEmpty()) {
        if (fresh) {
          forget(executor);
        }
        decline(offer, false);
        return;
      }
      if (fresh) {
        byAgent.put(agentId, executor);
        byExecutorId.put(executor.executorId, executor);
      }
    }
    starvation.launched();
    log.debug("launching {} task(s) on agent {}", tasks.size(), agentId);
    launch(offer, tasks, () -> attempts.forEach(this::unlaunched));
  }

  private AgentExecutor newExecutor(String agentId, List<org.apache.mesos.v1.Protos.Resource> resources) {
    int generation = generations.merge(agentId, 1, Integer::sum);
    String executorId = "ferry-" + agentId + "-" + generation;
    ExecutorInfo info = executors.build(executorId, conf.appName(), resources);
    return new AgentExecutor(agentId, executorId, info, ByteString.copyFrom(launchRecord(executorId)));
  }

  private void forget(AgentExecutor executor) {
    rpc.revokeToken(executor.executorId);
  }

  private synchronized void unlaunched(Attempt attempt) {
    byMesosTask.remove(attempt.mesosTaskId());
    awaitingMesosEnd.remove(attempt.mesosTaskId());
    AgentExecutor executor = byExecutorId.get(attempt.executorId());
    if (executor != null) {
      executor.running.remove(attempt.taskId());
    }
    scheduler.unlaunched(attempt);
  }

  @Override
  public void onConnected(PeerConnection peer) {
    synchronized (this) {
      AgentExecutor executor = byExecutorId.get(peer.executorId());
      if (executor == null || executor.lost) {
        peer.close("this executor is no longer part of the application");
        return;
      }
      executor.connection = peer;
    }
  }

  @Override
  public void onFrame(PeerConnection peer, Frame frame) {
    if (frame.hasClassesRequest()) {
      classes.answer(peer, frame.getClassesRequest());
      return;
    }
    if (frame.hasFetchTask()) {
      Attempt attempt;
      synchronized (this) {
        attempt = byMesosTask.get(frame.getFetchTask().getMesosTaskId());
      }
      if (attempt == null || !attempt.executorId().equals(peer.executorId())) {
        log.warn("executor {} asked for task {}, which is not running there", peer.executorId(),
            PeerText.escape(frame.getFetchTask().getMesosTaskId()));
        return;
      }
      peer.send(runTask(attempt));
    } else if (frame.hasTaskResult()) {
      TaskResult result = frame.getTaskResult();
      Attempt attempt;
      synchronized (this) {
        AgentExecutor executor = byExecutorId.get(peer.executorId());
        attempt = executor == null ? null : executor.running.remove(result.getTaskId());
        if (attempt != null) {
          byMesosTask.remove(attempt.mesosTaskId());
        }
      }
      if (attempt != null) {
        Outcomes.apply(scheduler, attempt, result);
      }
    }
  }

  @Override
  public void onDisconnected(PeerConnection peer, String reason) {
    executorLost(peer.executorId(), "lost the link to executor " + peer.executorId() + ": " + reason);
  }

  @Override
  public void update(TaskStatus status) {
    if (!isTerminal(status.getState())) {
      return;
    }
    Attempt attempt;
    synchronized (this) {
      if (awaitingMesosEnd.remove(status.getTaskId().getValue())) {
        notifyAll(); // close() may be waiting for the last one
      }
      attempt = byMesosTask.get(status.getTaskId().getValue());
      if (attempt == null) {
        return; // its result already arrived over the link, or the task was cancelled
      }
      AgentExecutor executor = byExecutorId.get(attempt.executorId());
      boolean linkUp = executor != null && !executor.lost && executor.connection != null;
      if (status.getState() == TaskState.TASK_FINISHED && linkUp) {
        // The executor sends the result before reporting FINISHED, but on another path: the result
        // is still in flight. If the link dies first, executorLost() fails the attempt.
        return;
      }
      byMesosTask.remove(status.getTaskId().getValue());
      if (executor != null) {
        executor.running.remove(attempt.taskId());
      }
    }
    if (status.getReason() == TaskStatus.Reason.REASON_INVALID_OFFERS) {
      scheduler.unlaunched(attempt);
    } else if (TaskEnds.executorOrAgentLost(status)) {
      scheduler.lost(attempt, "Mesos reports " + describe(status));
    } else {
      scheduler.failed(attempt, "Mesos reports " + describe(status), "");
    }
  }

  @Override
  protected void executorLost(String executorId, String reason) {
    List<Attempt> lost;
    synchronized (this) {
      AgentExecutor executor = byExecutorId.get(executorId);
      if (executor == null || executor.lost) {
        return;
      }
      executor.lost = true;
      rpc.revokeToken(executorId);
      lost = new ArrayList<>(executor.running.values());
      executor.running.clear();
      lost.forEach(a -> byMesosTask.remove(a.mesosTaskId()));
    }
    if (!lost.isEmpty()) {
      log.warn("{}; its {} running task(s) will run again (an executor's loss is not counted as their failure)",
          reason, lost.size());
    }
    lost.forEach(a -> scheduler.lost(a, reason));
  }

  @Override
  protected void agentLost(String agentId) {
    AgentExecutor executor;
    synchronized (this) {
      executor = byAgent.get(agentId);
    }
    if (executor != null) {
      executorLost(executor.executorId, "agent " + agentId + " was lost");
    }
  }

  @Override
  public void kill(Attempt attempt) {
    PeerConnection connection;
    synchronized (this) {
      byMesosTask.remove(attempt.mesosTaskId());
      AgentExecutor executor = byExecutorId.get(attempt.executorId());
      connection = executor == null ? null : executor.connection;
      if (executor != null) {
        executor.running.remove(attempt.taskId());
      }
    }
    if (connection != null) {
      connection.send(Frame.newBuilder().setCancelTask(CancelTask.newBuilder().setTaskId(attempt.taskId())).build());
    }
    killMesosTask(attempt);
  }

  @Override
  protected synchronized boolean nothingRuns() {
    return byMesosTask.isEmpty();
  }

  @Override
  protected synchronized List<TaskStatus> knownTasks() {
    List<TaskStatus> known = new ArrayList<>();
    for (Attempt a : byMesosTask.values()) {
      known.add(believedRunning(a.mesosTaskId(), a.agentId()));
    }
    return known;
  }

  /**
   * Waits (at most {@link #CLOSE_WAIT}) for the terminal updates of the tasks launched, then tears
   * the framework down. Every result may have arrived over the link while a TASK_FINISHED is still
   * on its way: torn down first, the agent would ignore that update ("terminating framework") and
   * never acknowledge it, and its executor would wait out its shutdown grace period for the ACK.
   */
  @Override
  public void close() {
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    // Without a subscribed link no update can come.
    boolean subscribed = link != null && link.state() == io.ferry.driver.mesos.SchedulerLink.State.SUBSCRIBED;
    synchronized (this) {
      while (subscribed && !awaitingMesosEnd.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          log.debug("closing with {} Mesos task(s) not reported ended", awaitingMesosEnd.size());
          break;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    super.close();
  }
}
