package io.ferry.executor.internal;

import io.ferry.executor.ExecutorContext;
import io.ferry.executor.ExecutorSettings;
import io.ferry.executor.TaskHandler;
import io.ferry.mesos.MesosDurations;
import io.ferry.mesos.http.MesosClient;
import io.ferry.mesos.http.MesosException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor's Mesos side: subscription, events, status updates and their acknowledgements,
 * kills, shutdown and exit. Everything here runs on one thread, {@code ferry-executor-core}
 * (events, task reports, timers), so no field needs a lock; {@link #state} is an atomic only so
 * that other threads can read it.
 */
public final class ExecutorCore implements AgentLink.Listener, TaskRecord.Reports, ExecutorContext {
  private static final Logger log = LoggerFactory.getLogger(ExecutorCore.class);

  /** Exit codes: SHUTDOWN done; the agent, the driver or the subscription lost; a bad environment. */
  public static final int EXIT_OK = 0;
  public static final int EXIT_LOST = 1;
  public static final int EXIT_USAGE = 2;

  private final ExecutorSettings settings;
  private final ScheduledThreadPoolExecutor core;
  private final MesosClient<Call, Event> client;
  private final AgentLink link;
  private final StatusUpdateLedger ledger = new StatusUpdateLedger();
  private final UpdateSender sender;
  private final Map<TaskID, TaskRecord> tasks = new LinkedHashMap<>();
  private final AtomicReference<ExecutorState> state = new AtomicReference<>(ExecutorState.NEW);
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private final ExecutorID executorId;
  private final FrameworkID frameworkId;
  private final String tag;
  private TaskHandler handler;
  private FrameworkInfo framework = FrameworkInfo.getDefaultInstance();
  private boolean everSubscribed;
  private ScheduledFuture<?> subscribeDeadline;
  private String lastSubscribeError = "none yet";
  private int failedAttempts;
  private ShutdownPlan plan;
  private int exitCode = EXIT_OK;

  public ExecutorCore(ExecutorSettings settings, MesosClient<Call, Event> client) {
    this.settings = settings;
    this.client = client;
    this.executorId = ExecutorID.newBuilder().setValue(settings.executorId()).build();
    this.frameworkId = FrameworkID.newBuilder().setValue(settings.frameworkId()).build();
    this.tag = Tags.executor(settings.executorId());
    this.core = new ScheduledThreadPoolExecutor(1, new TaskThreadFactory("ferry-executor-core", false));
    core.setRejectedExecutionHandler(new ScheduledThreadPoolExecutor.DiscardPolicy());
    core.setRemoveOnCancelPolicy(true);
    this.link = new AgentLink(client, core, settings.subscriptionBackoffMax(), this);
    this.sender = new UpdateSender(core, ledger, update -> link.call(call(Call.Type.UPDATE).setUpdate(update).build()), tag);
  }

  /**
   * Connects and subscribes; returns the exit code's future, completed when the executor is done.
   *
   * @throws IllegalStateException when started twice
   */
  public CompletableFuture<Integer> start(TaskHandler taskHandler) {
    if (!state.compareAndSet(ExecutorState.NEW, ExecutorState.SUBSCRIBING)) {
      throw new IllegalStateException("the executor was already started (state " + state.get() + ")");
    }
    this.handler = taskHandler;
    client.start();
    core.execute(() -> {
      log.info("{} subscribing to the agent at {} ({})", tag, settings.agentEndpoint(), settings);
      armSubscribeDeadline();
      link.subscribe();
    });
    return exit;
  }

  public ExecutorState state() {
    return state.get();
  }

  @Override
  public ExecutorSettings settings() {
    return settings;
  }

  @Override
  public void execute(Runnable work) {
    core.execute(() -> {
      try {
        work.run();
      } catch (RuntimeException e) {
        log.error("{} a task handler step failed", tag, e);
      }
    });
  }

  @Override
  public void abort(String message) {
    core.execute(() -> failAll(message));
  }

  /** Shuts down as on SHUTDOWN, from any thread. */
  public void shutdown(String reason) {
    core.execute(() -> shutdownNow(reason, EXIT_OK));
  }

  /** Stops the core thread and the client; call after the exit future completed. */
  public void close() {
    core.shutdownNow();
    client.close();
  }

  // --- AgentLink.Listener -------------------------------------------------------------------

  @Override
  public Call subscribeCall() {
    return call(Call.Type.SUBSCRIBE).setSubscribe(ledger.subscribe()).build();
  }

  @Override
  public void onSubscribed(Event.Subscribed subscribed, Call sentWith) {
    ExecutorState was = state.get();
    if ((was != ExecutorState.SUBSCRIBING && was != ExecutorState.RECONNECTING)
        || !state.compareAndSet(was, ExecutorState.SUBSCRIBED)) {
      return;
    }
    cancelSubscribeDeadline();
    failedAttempts = 0;
    framework = subscribed.getFrameworkInfo();
    Call.Subscribe carried = sentWith.getSubscribe();
    log.info("{} subscribed to agent {} ({}){}", tag, subscribed.getAgentInfo().getId().getValue(),
        subscribed.getAgentInfo().getHostname(), carried.getUnacknowledgedUpdatesCount() == 0 ? ""
            : ", replaying " + carried.getUnacknowledgedUpdatesCount() + " unacknowledged updates and "
                + carried.getUnacknowledgedTasksCount() + " tasks");
    sender.resume(StatusUpdateLedger.uuids(carried));
    if (!everSubscribed) {
      everSubscribed = true;
      try {
        handler.subscribed(subscribed);
      } catch (RuntimeException e) {
        log.error("{} the task handler failed on SUBSCRIBED", tag, e);
      }
    }
  }

  @Override
  public void onEvent(Event event) {
    switch (event.getType()) {
      case LAUNCH -> launch(event.getLaunch().getTask());
      case LAUNCH_GROUP -> event.getLaunchGroup().getTaskGroup().getTasksList().forEach(t -> {
        TaskRecord record = register(t);
        if (record != null) {
          report(record, TaskState.TASK_FAILED, "ferry-executor does not run task groups (LAUNCH_GROUP)");
        }
      });
      case KILL -> kill(event.getKill());
      case ACKNOWLEDGED -> acknowledged(event.getAcknowledged());
      case SHUTDOWN -> shutdownNow("the agent sent SHUTDOWN", EXIT_OK);
      case MESSAGE -> log.debug("{} MESSAGE of {} bytes (ignored)", tag, event.getMessage().getData().size());
      case ERROR -> log.warn("{} the agent sent ERROR: {}", tag, event.getError().getMessage());
      case HEARTBEAT -> log.trace("{} HEARTBEAT", tag);
      default -> log.debug("{} ignoring an event of type {}", tag, event.getType());
    }
  }

  @Override
  public void onLost(String why) {
    ExecutorState was = state.get();
    if (was == ExecutorState.SHUTTING_DOWN || was == ExecutorState.TERMINATED) {
      log.info("{} the agent's stream ended while shutting down ({})", tag, why);
      return;
    }
    sender.pause();
    if (!settings.checkpoint()) {
      handlerShutdown("lost the agent");
      terminate(EXIT_LOST, "lost the agent at " + settings.agentEndpoint() + " (" + why
          + "); the framework does not checkpoint (MESOS_CHECKPOINT=0), so the agent cannot recover this"
          + " executor: exiting");
      return;
    }
    if (state.compareAndSet(ExecutorState.SUBSCRIBED, ExecutorState.RECONNECTING)) {
      log.warn("{} lost the agent at {} ({}); resubscribing for up to {} (MESOS_RECOVERY_TIMEOUT)", tag,
          settings.agentEndpoint(), why, MesosDurations.format(settings.recoveryTimeout()));
      armSubscribeDeadline();
    }
    link.subscribeLater();
  }

  @Override
  public void onAttemptFailed(String why) {
    ExecutorState now = state.get();
    if (now != ExecutorState.SUBSCRIBING && now != ExecutorState.RECONNECTING) {
      return;
    }
    lastSubscribeError = why;
    if (failedAttempts++ == 0) {
      log.warn("{} SUBSCRIBE failed, retrying: {}", tag, why);
    } else {
      log.debug("{} SUBSCRIBE attempt {} failed: {}", tag, failedAttempts, why);
    }
    link.subscribeLater();
  }

  @Override
  public void onRejected(MesosException refusal) {
    ExecutorState now = state.get();
    if (now != ExecutorState.SUBSCRIBING && now != ExecutorState.RECONNECTING) {
      return;
    }
    String hint = switch (refusal.status()) {
      case 401 -> " (the agent requires executor authentication: MESOS_EXECUTOR_AUTHENTICATION_TOKEN is missing"
          + " or invalid)";
      case 403 -> " (the token in MESOS_EXECUTOR_AUTHENTICATION_TOKEN belongs to another executor)";
      case 400 -> everSubscribed ? " (the restarted agent did not recover this executor: the framework may not"
          + " checkpoint, or the agent ran with --recover=cleanup)" : "";
      default -> "";
    };
    handlerShutdown("the agent refused SUBSCRIBE");
    terminate(EXIT_LOST, "the agent refused SUBSCRIBE: " + refusal.getMessage() + hint);
  }

  // --- tasks ----------------------------------------------------------------------------------

  private TaskRecord register(TaskInfo task) {
    if (tasks.containsKey(task.getTaskId())) {
      log.warn("{} LAUNCH of task {} again: ignored", tag, task.getTaskId().getValue());
      return null;
    }
    ledger.launched(task);
    TaskRecord record = new TaskRecord(task, Tags.task(settings.executorId(), task.getTaskId().getValue()), core, this);
    tasks.put(task.getTaskId(), record);
    return record;
  }

  private void launch(TaskInfo task) {
    TaskRecord record = register(task);
    if (record == null) {
      return;
    }
    log.info("{} LAUNCH {}", record.tag, task.getName());
    if (state.get() == ExecutorState.SHUTTING_DOWN) {
      report(record, TaskState.TASK_FAILED, "the executor is shutting down");
      return;
    }
    try {
      handler.launch(task, record);
    } catch (RuntimeException e) {
      log.error("{} the task handler failed to start the task", record.tag, e);
      report(record, TaskState.TASK_FAILED, "the executor could not start the task: " + e);
    }
  }

  @Override
  public void report(TaskRecord task, TaskState newState, String message) {
    if (task.terminal) {
      log.debug("{} ignoring {} after {}{}", task.tag, newState, task.lastState,
          task.abandoned ? " (the task was abandoned after its kill grace period)" : "");
      return;
    }
    if (!StatusUpdates.isTerminal(newState) && task.lastState != null
        && (newState == task.lastState || task.lastState == TaskState.TASK_KILLING)) {
      return;
    }
    task.lastState = newState;
    if (StatusUpdates.isTerminal(newState)) {
      task.terminal = true;
      if (task.escalation != null) {
        task.escalation.cancel(false);
      }
    }
    String line = StatusUpdates.oneLine(message == null ? "" : message);
    if (newState == TaskState.TASK_FAILED) {
      log.warn("{} {}: {}", task.tag, newState, line);
    } else {
      log.info("{} {}{}", task.tag, newState, line.isEmpty() ? "" : ": " + line);
    }
    sender.enqueue(ledger.record(StatusUpdates.of(executorId, task.taskId(), newState, line)));
    finishIfDone();
  }

  private void kill(Event.Kill kill) {
    TaskRecord task = tasks.get(kill.getTaskId());
    String id = kill.getTaskId().getValue();
    if (task == null) {
      log.info("{} KILL for unknown task {}: nothing to do (the agent reports tasks it never delivered)", tag, id);
      return;
    }
    if (task.terminal) {
      log.info("{} KILL after {}: the task has ended, no second terminal update", task.tag, task.lastState);
      return;
    }
    if (task.isKillRequested() || state.get() == ExecutorState.SHUTTING_DOWN) {
      return;
    }
    Duration grace = killGrace(kill, task.info);
    log.info("{} KILL: interrupting the task, giving up on it after {}", task.tag, MesosDurations.format(grace));
    if (framework.getCapabilitiesList().stream()
        .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.TASK_KILLING_STATE)) {
      report(task, TaskState.TASK_KILLING, "");
    }
    startKill(task, grace);
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

  private void startKill(TaskRecord task, Duration grace) {
    if (task.escalation != null) {
      task.escalation.cancel(false);
    }
    task.escalation = core.schedule(() -> escalate(task, grace), grace.toNanos(), TimeUnit.NANOSECONDS);
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
    if (task.abandonHook != null) {
      try {
        task.abandonHook.run();
      } catch (RuntimeException e) {
        log.error("{} releasing the abandoned task failed", task.tag, e);
      }
    }
    log.warn("{} the task did not stop within {} of being interrupted; giving up on it (its thread is abandoned)",
        task.tag, MesosDurations.format(grace));
    report(task, TaskState.TASK_KILLED, "killed: the task ignored interruption for "
        + MesosDurations.format(grace) + "; its thread was abandoned");
  }

  private void acknowledged(Event.Acknowledged ack) {
    if (!ledger.acknowledge(ack.getTaskId(), ack.getUuid())) {
      log.debug("{} repeated ACKNOWLEDGED for task {}", tag, ack.getTaskId().getValue());
    }
    finishIfDone();
  }

  // --- shutdown and exit ----------------------------------------------------------------------

  private boolean enterShuttingDown() {
    while (true) {
      ExecutorState was = state.get();
      if (was == ExecutorState.SHUTTING_DOWN || was == ExecutorState.TERMINATED) {
        return false;
      }
      if (state.compareAndSet(was, ExecutorState.SHUTTING_DOWN)) {
        cancelSubscribeDeadline();
        plan = ShutdownPlan.forGracePeriod(settings.shutdownGracePeriod());
        core.schedule(this::failsafe, plan.exitAfter().toNanos(), TimeUnit.NANOSECONDS);
        return true;
      }
    }
  }

  private void shutdownNow(String reason, int code) {
    if (!enterShuttingDown()) {
      return;
    }
    exitCode = code;
    List<TaskRecord> live = live();
    log.info("{} shutting down ({}): killing {} task(s), exiting within {}", tag, reason, live.size(),
        MesosDurations.format(settings.shutdownGracePeriod()));
    handlerShutdown(reason);
    for (TaskRecord task : live) {
      Duration grace = killGrace(null, task.info);
      startKill(task, grace.compareTo(plan.escalateAfter()) < 0 ? grace : plan.escalateAfter());
    }
    finishIfDone();
  }

  private void failAll(String message) {
    if (!enterShuttingDown()) {
      return;
    }
    exitCode = EXIT_LOST;
    List<TaskRecord> live = live();
    log.error("{} {}: failing {} task(s) and exiting", tag, message, live.size());
    handlerShutdown(message);
    for (TaskRecord task : live) {
      report(task, TaskState.TASK_FAILED, message);
      try {
        task.requestKill();
      } catch (RuntimeException e) {
        log.error("{} interrupting the task failed", task.tag, e);
      }
    }
    finishIfDone();
  }

  private List<TaskRecord> live() {
    List<TaskRecord> live = new ArrayList<>();
    tasks.values().forEach(t -> {
      if (!t.terminal) {
        live.add(t);
      }
    });
    return live;
  }

  private void handlerShutdown(String reason) {
    try {
      handler.shutdown(reason);
    } catch (RuntimeException e) {
      log.error("{} the task handler failed to shut down", tag, e);
    }
  }

  private void finishIfDone() {
    if (state.get() == ExecutorState.SHUTTING_DOWN && live().isEmpty() && ledger.allAcknowledged()) {
      terminate(exitCode, "every task has ended and the agent acknowledged every update");
    }
  }

  private void failsafe() {
    if (state.get() == ExecutorState.SHUTTING_DOWN) {
      terminate(exitCode, "exit deadline reached with " + live().size() + " task(s) still running and "
          + ledger.unacknowledgedCount() + " update(s) unacknowledged");
    }
  }

  private void terminate(int code, String why) {
    if (state.getAndSet(ExecutorState.TERMINATED) == ExecutorState.TERMINATED) {
      return;
    }
    if (code == EXIT_OK) {
      log.info("{} exiting: {}", tag, why);
    } else {
      log.error("{} exiting: {}", tag, why);
    }
    link.close();
    exit.complete(code);
  }

  private void armSubscribeDeadline() {
    if (subscribeDeadline != null) {
      return;
    }
    Duration window = settings.subscribeWindow();
    subscribeDeadline = core.schedule(() -> {
      subscribeDeadline = null;
      ExecutorState now = state.get();
      if (now == ExecutorState.SUBSCRIBING || now == ExecutorState.RECONNECTING) {
        handlerShutdown("the agent did not come back");
        terminate(EXIT_LOST, "could not " + (everSubscribed ? "resubscribe" : "subscribe") + " with the agent at "
            + settings.agentEndpoint() + " within " + MesosDurations.format(window)
            + "; last error: " + lastSubscribeError);
      }
    }, window.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void cancelSubscribeDeadline() {
    if (subscribeDeadline != null) {
      subscribeDeadline.cancel(false);
      subscribeDeadline = null;
    }
  }

  private Call.Builder call(Call.Type type) {
    return Call.newBuilder().setType(type).setFrameworkId(frameworkId).setExecutorId(executorId);
  }
}
