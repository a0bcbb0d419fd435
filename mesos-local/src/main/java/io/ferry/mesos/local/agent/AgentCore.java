package io.ferry.mesos.local.agent;

import com.google.protobuf.ByteString;
import io.ferry.mesos.MesosUuids;
import io.ferry.mesos.local.Timers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's executors and tasks, as the protocol digest's section 1 describes Mesos's agent:
 * tasks queued until the executor subscribes, LAUNCH on delivery, updates acknowledged to the
 * executor and forwarded on per-task streams, kills before and after delivery, shutdown with a
 * grace period then destroy, executor exit failing its live tasks with
 * {@code REASON_EXECUTOR_TERMINATED} and telling the scheduler (FAILURE), and the registration
 * timeout. A task with a command and no ExecutorInfo gets the built-in command executor, as on
 * Mesos: an executor whose ID is the task's, which fetches the task's URIs and runs its command
 * ({@link io.ferry.mesos.local.executor.CommandExecutor}); the scheduler gets no FAILURE for it.
 *
 * <p>Threading: every method runs on the agent's thread ({@code loop}); containers are launched
 * (fetch, then fork) on another thread and their exits are handed back to the agent's thread.
 */
public final class AgentCore implements ExecutorGate.View {

  private static final Logger LOG = LoggerFactory.getLogger(AgentCore.class);

  /** What the agent tells its master. */
  public interface MasterLink {
    void statusUpdate(String frameworkId, TaskStatus status);

    void executorExited(String frameworkId, ExecutorID executorId, Optional<Integer> waitStatus);

    void executorMessage(String frameworkId, ExecutorID executorId, ByteString data);
  }

  /** An executor's SUBSCRIBE stream. */
  public interface ExecutorStream {
    void send(Event event);

    void close();
  }

  /** A running container: the executor's process tree. */
  public interface Container {
    CompletableFuture<Integer> exit();

    void destroy();
  }

  /** Prepares the sandbox (fetching the URIs) and starts the executor; runs off the agent's thread. */
  public interface Launcher {
    /** {@code token} is the executor's authentication token, when executors must authenticate. */
    Container launch(FrameworkInfo framework, ExecutorInfo executor, String containerId, boolean commandExecutor,
        Optional<String> token) throws Exception;
  }

  /**
   * Agent-wide settings.
   *
   * @param commandExecutor the shell command that starts the built-in command executor
   */
  public record Settings(Duration registrationTimeout, Duration shutdownGracePeriod, String commandExecutor) {}

  /**
   * How one executor ended, for tests and tools: {@code waitStatus} is the raw wait status
   * ({@code code << 8} for an exit, the signal number for a kill), empty when no process ran.
   */
  public record ExecutorExit(String frameworkId, String executorId, boolean commandExecutor,
      Optional<Integer> waitStatus) {}

  private record Key(String frameworkId, String executorId) {}

  private final class ExecutorRecord {
    final Key key;
    final ExecutorInfo info;
    final FrameworkInfo framework;
    final String containerId = UUID.randomUUID().toString();
    boolean commandExecutor;
    ExecutorState state = ExecutorState.REGISTERING;
    ExecutorStream stream;
    Container container;
    final List<TaskInfo> queued = new ArrayList<>();
    final Map<String, TaskInfo> delivered = new LinkedHashMap<>();
    Timers.Cancellable registrationTimer;
    Timers.Cancellable destroyTimer;
    TaskStatus.Reason exitReason = TaskStatus.Reason.REASON_EXECUTOR_TERMINATED;
    /** The state its live tasks end in when it goes: TASK_FAILED, or TASK_GONE/LOST after a restart. */
    TaskState goneState = TaskState.TASK_FAILED;
    /** After an agent restart: a recovered executor that has not subscribed again yet. */
    boolean awaitingReregistration;
    /** Lost in an agent restart (no checkpoint): the restarted agent knows nothing of it. */
    boolean forgotten;
    String exitMessage = "Executor terminated";

    ExecutorRecord(Key key, ExecutorInfo info, FrameworkInfo framework) {
      this.key = key;
      this.info = info;
      this.framework = framework;
    }
  }

  private final Settings settings;
  private final Timers timers;
  private final Executor loop;
  private final Executor launchPool;
  private final Launcher launcher;
  private final MasterLink master;
  private final StatusUpdateManager updates;
  private final Optional<ExecutorTokens> tokens;
  private final Map<Key, ExecutorRecord> executors = new LinkedHashMap<>();
  /**
   * Frameworks being shut down (Mesos's {@code Framework::TERMINATING}): their executors were
   * told to shut down, their status updates are ignored. Removed with their last executor.
   */
  private final Set<String> terminatingFrameworks = new HashSet<>();
  /** Written on the agent's thread, read from any (tests, after the agent stopped too). */
  private final List<ExecutorExit> exits = new CopyOnWriteArrayList<>();
  /** What the state endpoints show: tasks with their statuses, completed executors and frameworks. */
  private final AgentBook book = new AgentBook();
  private final double startTime;
  private AgentInfo info;

  /** Where the agent is in a restart (the digest: "Agent restart"). */
  public enum Phase {
    /** Serving normally. */
    RUNNING,
    /** Just restarted: the containerizer is recovering; every call gets 503. */
    CONTAINERIZER_RECOVERING,
    /** Containers recovered: SUBSCRIBE works, other calls get 503 until recovery ends. */
    RECOVERING
  }

  private Phase phase = Phase.RUNNING;
  private Timers.Cancellable recoveryTimer;
  /** After a restart: how the agent reregisters with its master once its recovery has ended. */
  private java.util.function.Consumer<Recovered> reregister;

  /**
   * What a restarted agent reports to its master when it reregisters (Mesos's
   * {@code ReregisterSlaveMessage}): the tasks it still knows, and its executors (command
   * executors excluded) by framework ID. The master reconciles against them.
   */
  public record Recovered(Set<String> tasks, Map<String, Set<String>> executors) {}

  public AgentCore(Settings settings, Timers timers, Executor loop, Executor launchPool, Launcher launcher,
      MasterLink master, StatusUpdateManager updates) {
    this(settings, timers, loop, launchPool, launcher, master, updates, Optional.empty());
  }

  public AgentCore(Settings settings, Timers timers, Executor loop, Executor launchPool, Launcher launcher,
      MasterLink master, StatusUpdateManager updates, Optional<ExecutorTokens> tokens) {
    this.tokens = tokens;
    this.settings = settings;
    this.timers = timers;
    this.loop = loop;
    this.launchPool = launchPool;
    this.launcher = launcher;
    this.master = master;
    this.updates = updates;
    this.startTime = timers.wallSeconds();
  }

  /** The agent's info, its ID included, once registered with the master. */
  public void registered(AgentInfo info) {
    this.info = info;
  }

  public String agentId() {
    return info.getId().getValue();
  }

  /** The agent's info once registered (empty before). */
  public Optional<AgentInfo> info() {
    return Optional.ofNullable(info);
  }

  /** What the state endpoints show; read on the agent's thread only. */
  public AgentBook book() {
    return book;
  }

  /** Wall-clock seconds when this agent started. */
  public double startTime() {
    return startTime;
  }

  /** Wall-clock seconds now (the agent's timers' clock). */
  public double now() {
    return timers.wallSeconds();
  }

  /** How many executors are in {@code state} now (the {@code slave/executors_*} gauges). */
  public long executorsIn(ExecutorState state) {
    return executors.values().stream().filter(e -> e.state == state).count();
  }

  // ---- From the master -----------------------------------------------------------------------

  public void launch(FrameworkInfo framework, TaskInfo task) {
    if (phase != Phase.RUNNING) {
      // Mesos's Slave::run: "Ignoring running task ... because the agent is RECOVERING". A launch
      // that reaches an agent which is down or recovering is lost, as a RunTaskMessage to a dead
      // agent process is; the master reports the task when the agent reregisters without it.
      LOG.warn("[framework={}] ignoring the launch of task {}: the agent is {}", framework.getId().getValue(),
          task.getTaskId().getValue(), phase);
      return;
    }
    boolean command = !task.hasExecutor();
    ExecutorInfo executorInfo = command ? commandExecutorFor(framework, task) : task.getExecutor();
    Key key = new Key(framework.getId().getValue(), executorInfo.getExecutorId().getValue());
    ExecutorRecord e = executors.get(key);
    if (e != null && (e.state == ExecutorState.TERMINATING || e.state == ExecutorState.TERMINATED)) {
      TaskState dropped = partitionAware(framework) ? TaskState.TASK_DROPPED : TaskState.TASK_LOST;
      agentUpdate(framework.getId().getValue(), task, executorInfo.getExecutorId(), dropped,
          TaskStatus.Reason.REASON_EXECUTOR_TERMINATED, "Executor terminating");
      return;
    }
    if (e == null) {
      e = new ExecutorRecord(key, executorInfo, framework);
      e.commandExecutor = command;
      executors.put(key, e);
      book.executorAdded(framework, executorInfo, e.containerId);
      // Queued first: the launch may fail (and fail its tasks) before this method returns.
      e.queued.add(task);
      book.queued(key.frameworkId, key.executorId, task);
      start(e);
      return;
    }
    if (e.state == ExecutorState.RUNNING) {
      deliver(e, task);
    } else {
      e.queued.add(task);
      book.queued(key.frameworkId, key.executorId, task);
    }
  }

  private void start(ExecutorRecord e) {
    e.registrationTimer = timers.schedule(settings.registrationTimeout(), () -> registrationTimedOut(e));
    try {
      launchPool.execute(() -> launchOffThread(e));
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      launchFailed(e, "the agent is stopping");
    }
  }

  /** On a launch thread: fetch and fork, then hand the container (or the failure) to the agent's thread. */
  private void launchOffThread(ExecutorRecord e) {
    try {
      Container c = launcher.launch(e.framework, e.info, e.containerId, e.commandExecutor,
          tokens.map(t -> t.issue(e.key.frameworkId, e.key.executorId, e.containerId)));
      try {
        loop.execute(() -> started(e, c));
      } catch (java.util.concurrent.RejectedExecutionException agentStopped) {
        // The agent stopped while this container was being launched: no orphan may remain.
        c.destroy();
      }
    } catch (Exception failure) {
      String reason = failure.getMessage() == null ? failure.toString() : failure.getMessage();
      try {
        loop.execute(() -> launchFailed(e, reason));
      } catch (java.util.concurrent.RejectedExecutionException agentStopped) {
        // Nobody is left to tell.
      }
    }
  }

  private void started(ExecutorRecord e, Container c) {
    e.container = c;
    c.exit().thenAccept(status -> loop.execute(() -> exited(e, Optional.of(status))));
    if (e.forgotten || e.state == ExecutorState.TERMINATING || e.state == ExecutorState.TERMINATED) {
      c.destroy();
    }
  }

  private void launchFailed(ExecutorRecord e, String reason) {
    book.metrics().containerLaunchError();
    LOG.warn("[framework={} executor={}] launch failed: {}", e.key.frameworkId, e.key.executorId, reason);
    e.exitReason = TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED;
    e.exitMessage = "Failed to launch container: " + reason;
    exited(e, Optional.empty());
  }

  public void kill(String frameworkId, TaskID taskId, KillPolicy policy) {
    for (ExecutorRecord e : executorsOf(frameworkId)) {
      Optional<TaskInfo> queued = e.queued.stream().filter(t -> t.getTaskId().equals(taskId)).findFirst();
      if (queued.isPresent()) {
        // Not delivered yet: the agent answers for the executor.
        e.queued.remove(queued.get());
        agentUpdate(frameworkId, queued.get(), e.info.getExecutorId(), TaskState.TASK_KILLED,
            TaskStatus.Reason.REASON_TASK_KILLED_DURING_LAUNCH, "Killed before delivery to the executor");
        if (e.queued.isEmpty() && e.delivered.isEmpty() && e.state == ExecutorState.REGISTERING) {
          shutdown(e);
        }
        return;
      }
      if (e.delivered.containsKey(taskId.getValue())) {
        if (e.state == ExecutorState.RUNNING && e.stream != null) {
          e.stream.send(AgentEvents.kill(taskId, policy));
        }
        return;
      }
    }
  }

  public void shutdownExecutor(String frameworkId, ExecutorID executorId) {
    ExecutorRecord e = executors.get(new Key(frameworkId, executorId.getValue()));
    if (e != null) {
      shutdown(e);
    }
  }

  /**
   * The master removed the framework (TEARDOWN, failover timeout): as Mesos's
   * {@code Slave::shutdownFramework}, the framework becomes TERMINATING and every executor of it,
   * command executors included, gets SHUTDOWN and is destroyed after its grace period. From now on
   * its status updates are ignored: it can no longer acknowledge them. The master sends it only to
   * connected agents and repeats it when an agent reregisters.
   */
  public void shutdownFramework(String frameworkId) {
    List<ExecutorRecord> of = executorsOf(frameworkId);
    if (of.isEmpty() || terminatingFrameworks.contains(frameworkId)) {
      return;
    }
    LOG.info("[framework={}] shutting down the framework: {} executor(s)", frameworkId, of.size());
    terminatingFrameworks.add(frameworkId);
    updates.removeFramework(frameworkId);
    for (ExecutorRecord e : of) {
      shutdown(e);
    }
  }

  public void acknowledge(String frameworkId, TaskID taskId, ByteString uuid) {
    if (updates.acknowledged(frameworkId, taskId, uuid)) {
      for (ExecutorRecord e : executorsOf(frameworkId)) {
        e.delivered.remove(taskId.getValue());
      }
    }
  }

  public void message(String frameworkId, ExecutorID executorId, ByteString data) {
    ExecutorRecord e = executors.get(new Key(frameworkId, executorId.getValue()));
    // Mesos drops a framework's messages once it is terminating.
    boolean valid = e != null && e.stream != null && !terminatingFrameworks.contains(frameworkId);
    book.metrics().frameworkMessage(valid);
    if (valid) {
      e.stream.send(AgentEvents.message(data));
    }
  }

  /**
   * Fault injection: the executor's process tree is killed (SIGKILL) as if it crashed; what
   * follows is the agent's ordinary handling of an executor exit. Returns whether it was running.
   */
  public boolean killExecutor(String frameworkId, String executorId) {
    ExecutorRecord e = executors.get(new Key(frameworkId, executorId));
    if (e == null || e.container == null) {
      return false;
    }
    e.container.destroy();
    return true;
  }

  /**
   * Completes once every executor that is shutting down now has exited (each is destroyed at the
   * latest at the end of its grace period), so that an agent that stops right after a TEARDOWN
   * does not kill executors in the middle of their clean exit.
   */
  public CompletableFuture<Void> terminatingExited() {
    List<CompletableFuture<Integer>> waits = new ArrayList<>();
    for (ExecutorRecord e : executors.values()) {
      if (e.state == ExecutorState.TERMINATING && e.container != null) {
        waits.add(e.container.exit());
      }
    }
    return CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new));
  }

  /** The longest shutdown grace period of this agent's executors (the agent's default at least). */
  public Duration longestGracePeriod() {
    Duration longest = settings.shutdownGracePeriod();
    for (ExecutorRecord e : executors.values()) {
      if (gracePeriod(e).compareTo(longest) > 0) {
        longest = gracePeriod(e);
      }
    }
    return longest;
  }

  /** Every executor exit so far, in order; safe to read from any thread. */
  public List<ExecutorExit> exits() {
    return List.copyOf(exits);
  }

  /**
   * The agent stops: every container is destroyed at once. Completes when every one of them has
   * exited (a container with an image is gone only once its runtime has removed it).
   */
  public CompletableFuture<Void> destroyAll() {
    List<CompletableFuture<Integer>> exited = new ArrayList<>();
    for (ExecutorRecord e : List.copyOf(executors.values())) {
      e.state = ExecutorState.TERMINATING;
      if (e.container != null) {
        e.container.destroy();
        exited.add(e.container.exit());
      }
    }
    return CompletableFuture.allOf(exited.toArray(new CompletableFuture<?>[0]));
  }

  // ---- From executors (after the gate) -------------------------------------------------------

  public void subscribe(Call call, ExecutorStream stream) {
    ExecutorRecord e = executors.get(key(call));
    if (e.state == ExecutorState.TERMINATING || e.state == ExecutorState.TERMINATED) {
      stream.send(AgentEvents.shutdown());
      stream.close();
      return;
    }
    if (e.stream != null) {
      e.stream.close();
    }
    if (e.awaitingReregistration) {
      e.awaitingReregistration = false;
      droppedByRestart(e, call.getSubscribe().getUnacknowledgedTasksList());
    }
    e.stream = stream;
    e.state = ExecutorState.RUNNING;
    if (e.registrationTimer != null) {
      e.registrationTimer.cancel();
      e.registrationTimer = null;
    }
    stream.send(AgentEvents.subscribed(e.info, e.framework, info, e.containerId));
    for (Call.Update update : call.getSubscribe().getUnacknowledgedUpdatesList()) {
      update(call.toBuilder().setType(Call.Type.UPDATE).setUpdate(update).build());
    }
    List<TaskInfo> queued = new ArrayList<>(e.queued);
    e.queued.clear();
    for (TaskInfo t : queued) {
      deliver(e, t);
    }
    if (phase == Phase.RECOVERING && executors.values().stream().noneMatch(x -> x.awaitingReregistration)) {
      finishRecovery();
    }
  }

  /**
   * A delivered task still in TASK_STAGING (the executor never sent an update for it) that the
   * resubscribing executor does not list among its unacknowledged tasks was lost in the restart.
   */
  private void droppedByRestart(ExecutorRecord e, List<TaskInfo> unacknowledgedTasks) {
    java.util.Set<String> listed = new java.util.HashSet<>();
    unacknowledgedTasks.forEach(t -> listed.add(t.getTaskId().getValue()));
    for (TaskInfo t : List.copyOf(e.delivered.values())) {
      String id = t.getTaskId().getValue();
      if (!listed.contains(id) && !updates.hasAny(e.key.frameworkId, id)) {
        e.delivered.remove(id);
        agentUpdate(e.key.frameworkId, t, e.info.getExecutorId(),
            partitionAware(e.framework) ? TaskState.TASK_DROPPED : TaskState.TASK_LOST,
            TaskStatus.Reason.REASON_AGENT_RESTARTED, "Task was lost in an agent restart");
      }
    }
  }

  /**
   * UPDATE: returns whether the executor gets an ACKNOWLEDGED. A wrong agent ID gets none, nor does
   * an update of a framework being shut down: Mesos's {@code Slave::statusUpdate} ignores it ("it
   * cannot send acknowledgements"), so it is neither forwarded nor acknowledged.
   */
  public boolean update(Call call) {
    ExecutorRecord e = executors.get(key(call));
    TaskStatus status = call.getUpdate().getStatus();
    if (terminatingFrameworks.contains(e.key.frameworkId)) {
      book.metrics().invalidStatusUpdate();
      LOG.info("[framework={} executor={}] ignoring {} of task {}: the framework is terminating", e.key.frameworkId,
          e.key.executorId, status.getState(), status.getTaskId().getValue());
      return false;
    }
    if (status.hasAgentId() && info != null && !status.getAgentId().getValue().equals(agentId())) {
      book.metrics().invalidStatusUpdate();
      LOG.warn("[framework={} executor={}] dropping an update for agent {}: this is {}", e.key.frameworkId,
          e.key.executorId, status.getAgentId().getValue(), agentId());
      return false;
    }
    // As Mesos's agent (Slave::_statusUpdate), the update carries the executor's container ID and
    // the CNI networks its container joined (the network/cni isolator's status).
    TaskStatus filled = status.toBuilder().setAgentId(AgentID.newBuilder().setValue(agentId()))
        .setExecutorId(call.getExecutorId())
        .setContainerStatus(status.getContainerStatus().toBuilder()
            .setContainerId(org.apache.mesos.v1.Protos.ContainerID.newBuilder().setValue(e.containerId))
            .addAllNetworkInfos(CniNetworks.joined(e.info)))
        .setTimestamp(status.hasTimestamp() ? status.getTimestamp() : timers.wallSeconds()).build();
    String taskId = status.getTaskId().getValue();
    boolean undelivered = e != null && e.queued.stream().anyMatch(t -> t.getTaskId().getValue().equals(taskId));
    boolean terminal = StatusUpdateManager.isTerminal(status.getState());
    if (!(undelivered && !terminal)) {
      // A delivered task stays the executor's until its terminal update is acknowledged: a KILL
      // for a terminal but unacknowledged task still reaches the executor.
      book.metrics().validStatusUpdate();
      if (updates.update(e.key.frameworkId, filled) == StatusUpdateManager.Outcome.QUEUED) {
        book.update(e.key.frameworkId, e.key.executorId, filled);
      }
    }
    if (e.stream != null) {
      e.stream.send(AgentEvents.acknowledged(status.getTaskId(), status.getUuid()));
    }
    return true;
  }

  public void executorMessage(Call call) {
    master.executorMessage(call.getFrameworkId().getValue(), call.getExecutorId(), call.getMessage().getData());
  }

  /** The executor's stream closed (it exited or disconnected). */
  public void streamClosed(String frameworkId, String executorId, ExecutorStream stream) {
    ExecutorRecord e = executors.get(new Key(frameworkId, executorId));
    if (e != null && e.stream == stream) {
      e.stream = null;
    }
  }

  // ---- Views for the gate --------------------------------------------------------------------

  @Override
  public boolean containerizerRecovering() {
    return phase == Phase.CONTAINERIZER_RECOVERING;
  }

  @Override
  public boolean agentRecovering() {
    return phase != Phase.RUNNING;
  }

  public Phase phase() {
    return phase;
  }

  // ---- Restart (the agent process dies and comes back; executors keep running) ---------------

  /**
   * The agent went down. What a restarted Mesos agent would not find on disk is forgotten: open
   * streams, and everything of frameworks without checkpointing (their containers are destroyed,
   * as a recovering agent destroys containers it cannot recover). Checkpointed executors, their
   * tasks and their unacknowledged updates are kept. Sending to the master pauses.
   */
  public void crashed() {
    phase = Phase.CONTAINERIZER_RECOVERING;
    updates.pause();
    for (ExecutorRecord e : List.copyOf(executors.values())) {
      if (e.stream != null) {
        e.stream.close();
        e.stream = null;
      }
      if (!e.framework.getCheckpoint()) {
        e.forgotten = true;
        executors.remove(e.key);
        updates.removeFramework(e.key.frameworkId);
        book.forget(e.key.frameworkId, e.key.executorId);
        if (e.container != null) {
          e.container.destroy();
        }
        continue;
      }
      e.awaitingReregistration = e.state != ExecutorState.TERMINATED;
    }
    terminatingFrameworks.removeIf(f -> executorsOf(f).isEmpty());
  }

  /**
   * The containerizer has recovered: executors may subscribe again within
   * {@code reregistrationTimeout}. When that ends (every recovered executor is back, or the timeout
   * fired), the agent reregisters through {@code reregister}, as Mesos's agent reregisters with its
   * master only once its recovery is complete; updates flow again after that.
   */
  public void containersRecovered(Duration reregistrationTimeout, java.util.function.Consumer<Recovered> reregister) {
    phase = Phase.RECOVERING;
    this.reregister = reregister;
    recoveryTimer = timers.schedule(reregistrationTimeout, this::finishRecovery);
    if (executors.values().stream().noneMatch(e -> e.awaitingReregistration)) {
      finishRecovery();
    }
  }

  /**
   * The tasks and executors this agent knows now, for its reregistration: as Mesos's agent reports
   * them, tasks that ended but whose last update is not acknowledged yet are known too.
   */
  private Recovered recovered() {
    Set<String> tasks = new HashSet<>(updates.pendingTaskIds());
    Map<String, Set<String>> byFramework = new LinkedHashMap<>();
    for (ExecutorRecord e : executors.values()) {
      e.queued.forEach(t -> tasks.add(t.getTaskId().getValue()));
      tasks.addAll(e.delivered.keySet());
      if (!e.commandExecutor) {
        byFramework.computeIfAbsent(e.key.frameworkId, k -> new HashSet<>()).add(e.key.executorId);
      }
    }
    return new Recovered(Set.copyOf(tasks), Map.copyOf(byFramework));
  }

  private void finishRecovery() {
    if (phase == Phase.RUNNING) {
      return;
    }
    if (recoveryTimer != null) {
      recoveryTimer.cancel();
      recoveryTimer = null;
    }
    phase = Phase.RUNNING;
    for (ExecutorRecord e : List.copyOf(executors.values())) {
      if (e.awaitingReregistration) {
        // Not back in time: destroyed; its tasks are gone.
        e.awaitingReregistration = false;
        e.exitReason = TaskStatus.Reason.REASON_EXECUTOR_REREGISTRATION_TIMEOUT;
        e.exitMessage = "Executor did not reregister within the reregistration timeout";
        e.goneState = partitionAware(e.framework) ? TaskState.TASK_GONE : TaskState.TASK_LOST;
        e.state = ExecutorState.TERMINATING;
        if (e.container != null) {
          e.container.destroy();
        } else {
          exited(e, Optional.empty());
        }
      }
    }
    // Reregistered first, then updates resume: the master must know the agent is back before the
    // updates it kept arrive, or it would drop them as coming from a disconnected agent.
    if (reregister != null) {
      reregister.accept(recovered());
      reregister = null;
    }
    updates.resume();
  }

  /** Executor authentication, when the agent runs with it ({@code --authenticate_http_executors}). */
  @Override
  public Optional<Map<String, String>> authenticate(String authorizationHeader) {
    if (tokens.isEmpty()) {
      return Optional.empty();
    }
    String prefix = "Bearer ";
    if (authorizationHeader == null || !authorizationHeader.startsWith(prefix)) {
      return Optional.of(Map.of());
    }
    return Optional.of(tokens.get().verify(authorizationHeader.substring(prefix.length()).trim()).orElse(Map.of()));
  }

  @Override
  public Optional<String> containerId(String frameworkId, String executorId) {
    return Optional.ofNullable(executors.get(new Key(frameworkId, executorId))).map(e -> e.containerId);
  }

  /** The token for an executor's container, when executors must authenticate. */
  public Optional<String> tokenFor(String frameworkId, String executorId, String containerId) {
    return tokens.map(t -> t.issue(frameworkId, executorId, containerId));
  }

  @Override
  public boolean frameworkKnown(String frameworkId) {
    return executors.keySet().stream().anyMatch(k -> k.frameworkId.equals(frameworkId));
  }

  @Override
  public boolean executorKnown(String frameworkId, String executorId) {
    return executors.containsKey(new Key(frameworkId, executorId));
  }

  @Override
  public boolean subscribed(String frameworkId, String executorId) {
    ExecutorRecord e = executors.get(new Key(frameworkId, executorId));
    return e != null && e.stream != null;
  }

  public Optional<ExecutorState> state(String frameworkId, String executorId) {
    return Optional.ofNullable(executors.get(new Key(frameworkId, executorId))).map(e -> e.state);
  }

  // ---- Internals -----------------------------------------------------------------------------

  private void deliver(ExecutorRecord e, TaskInfo task) {
    if (e.stream == null) {
      // Its connection broke: the task waits for the executor's next SUBSCRIBE, as a task for an
      // executor that has not subscribed yet does.
      e.queued.add(task);
      return;
    }
    e.delivered.put(task.getTaskId().getValue(), task);
    book.launched(e.key.frameworkId, e.key.executorId, task);
    e.stream.send(AgentEvents.launch(task));
  }

  private void shutdown(ExecutorRecord e) {
    if (e.state == ExecutorState.TERMINATING || e.state == ExecutorState.TERMINATED) {
      return;
    }
    e.state = ExecutorState.TERMINATING;
    if (e.stream != null) {
      e.stream.send(AgentEvents.shutdown());
    }
    // Always the whole grace period, subscribed or not (Mesos's _shutdownExecutor): an executor
    // whose stream just closed is usually exiting on its own, and must not be killed mid-exit.
    e.destroyTimer = timers.schedule(gracePeriod(e), () -> {
      if (e.container != null && e.state != ExecutorState.TERMINATED) {
        LOG.info("[framework={} executor={}] killing the executor: still running {} after SHUTDOWN",
            e.key.frameworkId, e.key.executorId, gracePeriod(e));
        e.container.destroy();
      }
    });
  }

  private Duration gracePeriod(ExecutorRecord e) {
    return e.info.hasShutdownGracePeriod()
        ? Duration.ofNanos(e.info.getShutdownGracePeriod().getNanoseconds()) : settings.shutdownGracePeriod();
  }

  private void registrationTimedOut(ExecutorRecord e) {
    if (e.state != ExecutorState.REGISTERING) {
      return;
    }
    e.exitReason = TaskStatus.Reason.REASON_EXECUTOR_REGISTRATION_TIMEOUT;
    e.exitMessage = "Executor did not register within " + settings.registrationTimeout().toSeconds() + " s";
    e.state = ExecutorState.TERMINATING;
    if (e.container != null) {
      e.container.destroy();
    }
  }

  private void exited(ExecutorRecord e, Optional<Integer> waitStatus) {
    if (e.state == ExecutorState.TERMINATED || e.forgotten) {
      return;
    }
    e.state = ExecutorState.TERMINATED;
    for (Timers.Cancellable t : new Timers.Cancellable[] {e.registrationTimer, e.destroyTimer}) {
      if (t != null) {
        t.cancel();
      }
    }
    if (e.stream != null) {
      e.stream.close();
      e.stream = null;
    }
    String frameworkId = e.key.frameworkId;
    boolean terminating = terminatingFrameworks.contains(frameworkId);
    List<TaskInfo> live = new ArrayList<>(e.queued);
    for (TaskInfo t : e.delivered.values()) {
      if (!updates.terminalReceived(frameworkId, t.getTaskId().getValue())) {
        live.add(t);
      }
    }
    // A terminating framework gets no updates (Mesos's executorTerminated): it cannot acknowledge them.
    for (TaskInfo t : terminating ? List.<TaskInfo>of() : live) {
      agentUpdate(frameworkId, t, e.info.getExecutorId(), e.goneState, e.exitReason, e.exitMessage);
    }
    e.queued.clear();
    e.delivered.clear();
    executors.remove(e.key);
    book.executorTerminated(frameworkId, e.key.executorId);
    exits.add(new ExecutorExit(frameworkId, e.key.executorId, e.commandExecutor, waitStatus));
    if (terminating && executorsOf(frameworkId).isEmpty()) {
      terminatingFrameworks.remove(frameworkId);
    }
    if (!e.commandExecutor) {
      master.executorExited(frameworkId, e.info.getExecutorId(), waitStatus);
    }
    LOG.info("[framework={} executor={}] exited ({})", frameworkId, e.key.executorId,
        waitStatus.map(s -> "wait status " + s).orElse(e.exitMessage));
  }

  private void agentUpdate(String frameworkId, TaskInfo task, ExecutorID executorId, TaskState state,
      TaskStatus.Reason reason, String message) {
    TaskStatus status = TaskStatus.newBuilder().setTaskId(task.getTaskId()).setState(state)
        .setSource(TaskStatus.Source.SOURCE_AGENT).setReason(reason).setMessage(message)
        .setAgentId(AgentID.newBuilder().setValue(agentId())).setExecutorId(executorId)
        .setTimestamp(timers.wallSeconds()).setUuid(MesosUuids.random()).build();
    if (updates.update(frameworkId, status) == StatusUpdateManager.Outcome.QUEUED) {
      book.update(frameworkId, executorId.getValue(), status);
    }
  }

  /** The ExecutorInfo Mesos's agent makes for a command task: its ID is the task's. */
  private ExecutorInfo commandExecutorFor(FrameworkInfo framework, TaskInfo task) {
    CommandInfo.Builder command = CommandInfo.newBuilder().setValue(settings.commandExecutor())
        .addAllUris(task.getCommand().getUrisList());
    if (task.getCommand().hasUser()) {
      command.setUser(task.getCommand().getUser());
    }
    return ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue(task.getTaskId().getValue()))
        .setFrameworkId(framework.getId()).setName("Command Executor (Task: " + task.getTaskId().getValue() + ")")
        .setSource(task.getTaskId().getValue()).setCommand(command).build();
  }

  private List<ExecutorRecord> executorsOf(String frameworkId) {
    return executors.values().stream().filter(e -> e.key.frameworkId.equals(frameworkId)).toList();
  }

  private static Key key(Call call) {
    return new Key(call.getFrameworkId().getValue(), call.getExecutorId().getValue());
  }

  private static boolean partitionAware(FrameworkInfo f) {
    return f.getCapabilitiesList().stream().anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.PARTITION_AWARE);
  }
}
