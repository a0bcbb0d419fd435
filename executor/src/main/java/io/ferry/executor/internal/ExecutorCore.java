package io.ferry.executor.internal;

import io.ferry.executor.ExecutorContext;
import io.ferry.executor.ExecutorSettings;
import io.ferry.executor.TaskHandler;
import io.ferry.mesos.MesosDurations;
import io.ferry.mesos.http.MesosClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
public final class ExecutorCore implements SubscriptionKeeper.Owner, TaskRecord.Reports, ExecutorContext {
  private static final Logger log = LoggerFactory.getLogger(ExecutorCore.class);

  /**
   * Exit codes: SHUTDOWN or the driver's goodbye done (a normal end); the agent, the driver or the
   * subscription lost; a bad environment.
   */
  public static final int EXIT_OK = 0;
  public static final int EXIT_LOST = 1;
  public static final int EXIT_USAGE = 2;

  private final ExecutorSettings settings;
  private final ScheduledThreadPoolExecutor core;
  private final MesosClient<Call, Event> client;
  private final AgentLink link;
  private final StatusUpdateLedger ledger = new StatusUpdateLedger();
  private final UpdateSender sender;
  private final TaskKiller killer;
  private final SubscriptionKeeper subscription;
  private final Map<TaskID, TaskRecord> tasks = new LinkedHashMap<>();
  private final AtomicReference<ExecutorState> state = new AtomicReference<>(ExecutorState.NEW);
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private final ExecutorID executorId;
  private final FrameworkID frameworkId;
  private final String tag;
  private TaskHandler handler;
  private FrameworkInfo framework = FrameworkInfo.getDefaultInstance();
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
    this.killer = new TaskKiller(core, this);
    this.sender = new UpdateSender(core, ledger, this::sendUpdate, tag);
    this.subscription = new SubscriptionKeeper(settings, state, core, sender, this, tag);
    this.link = new AgentLink(client, core, settings.subscriptionBackoffMax(), subscription);
    subscription.attach(link);
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
      subscription.start();
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

  @Override
  public void finish(String reason) {
    shutdown(reason);
  }

  /** Stops the core thread and the client; call after the exit future completed. */
  public void close() {
    core.shutdownNow();
    client.close();
  }

  // --- SubscriptionKeeper.Owner -------------------------------------------------------------

  @Override
  public Call subscribeCall() {
    return call(Call.Type.SUBSCRIBE).setSubscribe(ledger.subscribe()).build();
  }

  @Override
  public void subscribed(Event.Subscribed subscribed, boolean first) {
    framework = subscribed.getFrameworkInfo();
    if (first) {
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
  public void agentLost(String why) {
    handlerShutdown(why);
    terminate(EXIT_LOST, why);
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
    Duration grace = TaskKiller.killGrace(kill, task.info);
    log.info("{} KILL: interrupting the task, giving up on it after {}", task.tag, MesosDurations.format(grace));
    if (framework.getCapabilitiesList().stream()
        .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.TASK_KILLING_STATE)) {
      report(task, TaskState.TASK_KILLING, "");
    }
    killer.start(task, grace);
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
        subscription.stop();
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
      Duration grace = TaskKiller.killGrace(null, task.info);
      killer.start(task, grace.compareTo(plan.escalateAfter()) < 0 ? grace : plan.escalateAfter());
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
      killer.interrupt(task);
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

  private CompletableFuture<?> sendUpdate(Call.Update update) {
    return link.call(call(Call.Type.UPDATE).setUpdate(update).build());
  }

  private Call.Builder call(Call.Type type) {
    return Call.newBuilder().setType(type).setFrameworkId(frameworkId).setExecutorId(executorId);
  }
}
