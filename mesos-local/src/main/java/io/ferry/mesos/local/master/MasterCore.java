package io.ferry.mesos.local.master;

import io.ferry.mesos.local.Timers;
import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's state machine: frameworks, agents, offers and tasks, and what each scheduler call
 * does to them, as the protocol digest's section 2 describes Mesos's master.
 *
 * <p>Threading: every method runs on the master's single thread ({@code ferry-master}), timers
 * included ({@link Timers}); the HTTP layer and the agents hand their work to that thread. Nothing
 * here blocks.
 */
final class MasterCore implements SchedulerGate.View, AcceptValidator.View, Reconciler.View {

  private static final Logger LOG = LoggerFactory.getLogger(MasterCore.class);

  /** Settings of one master. */
  record Settings(Duration heartbeatInterval, Duration allocationInterval, Optional<Set<String>> roles,
      boolean rootSubmissions, String hostname, int port) {}

  private final Settings settings;
  private final Timers timers;
  private final String masterId = UUID.randomUUID().toString();
  private final MasterInfo masterInfo;
  private final Allocator allocator;
  private final AcceptValidator acceptValidator;
  private final Reconciler reconciler;

  private final Map<String, FrameworkRecord> frameworks = new LinkedHashMap<>();
  private final Set<String> removedFrameworks = new HashSet<>();
  /** Removed frameworks with their tasks, for the state endpoints; the oldest go past Mesos's 50. */
  private final Map<String, FrameworkRecord> completedFrameworks = new LinkedHashMap<>();
  static final int MAX_COMPLETED_FRAMEWORKS = 50;
  private final MasterMetrics metrics = new MasterMetrics();
  private final double startTime;
  private Double electedTime;
  /** What {@code /master/state} shows under {@code flags}; set by {@link LocalMaster}. */
  private Map<String, String> flags = Map.of();
  private final Map<String, AgentRecord> agents = new LinkedHashMap<>();
  private final OfferBook offers;
  private final Map<String, Map<String, TaskRecord>> tasks = new LinkedHashMap<>();
  private int frameworkSerial;
  /** Fault injection: scheduler ACKs to drop, and a delay for the others. */
  private int acknowledgementsToDrop;
  private Duration acknowledgementDelay = Duration.ZERO;
  private int agentSerial;
  private Timers.Cancellable allocation;
  private Leadership leadership = Leadership.LEADING;

  /** One registered agent. */
  static final class AgentRecord {
    final AgentInfo info;
    /** Wall-clock seconds of its registration and of its last reregistration (null: none yet). */
    double registeredTime;
    Double reregisteredTime;
    AgentPresence presence = AgentPresence.REGISTERED;
    /** False while the agent is down (restarting): acknowledgements for it are dropped. */
    boolean connected = true;
    AgentLink link;
    /** executor ID -> ExecutorInfo, per framework, for executors launched on this agent. */
    final Map<String, Map<String, ExecutorInfo>> executors = new LinkedHashMap<>();
    /** "framework/executor" -> the role its resources were allocated to. */
    final Map<String, String> executorRoles = new LinkedHashMap<>();

    AgentRecord(AgentInfo info, AgentLink link) {
      this.info = info;
      this.link = link;
    }
  }

  MasterCore(Settings settings, Timers timers) {
    this.settings = settings;
    this.timers = timers;
    this.masterInfo = MasterInfo.newBuilder().setId(masterId).setIp(0x0100007f).setPort(settings.port())
        .setHostname(settings.hostname()).setPid("master@127.0.0.1:" + settings.port())
        .setVersion(io.ferry.mesos.local.http.BuildInfo.MESOS_VERSION)
        .setAddress(org.apache.mesos.v1.Protos.Address.newBuilder().setHostname(settings.hostname())
            .setIp("127.0.0.1").setPort(settings.port()))
        .build();
    this.offers = new OfferBook(masterId);
    this.allocator = new Allocator(timers::nanoTime, this::offerMade);
    this.acceptValidator = new AcceptValidator(timers::wallSeconds);
    this.reconciler = new Reconciler(timers::wallSeconds);
    this.startTime = timers.wallSeconds();
    this.electedTime = startTime;
  }

  /** Starts the allocation timer: offers are made in batches every allocation interval. */
  void start() {
    allocation = timers.every(settings.allocationInterval(), () -> {
      allocator.allocate();
      flushOffers();
    });
  }

  void stop() {
    if (allocation != null) {
      allocation.cancel();
    }
    for (FrameworkRecord f : frameworks.values()) {
      cancelTimers(f);
      if (f.stream != null) {
        f.stream.close();
      }
    }
  }

  MasterInfo info() {
    return masterInfo;
  }

  // ---- Scheduler API -------------------------------------------------------------------------

  /**
   * SUBSCRIBE on {@code stream}, whose HTTP response already carries {@code streamId}. Returns the
   * framework's ID, or empty if the subscription was refused with an ERROR event (the stream is
   * then closed).
   */
  Optional<String> subscribe(Call call, FrameworkStream stream, String streamId) {
    FrameworkInfo info = call.getSubscribe().getFrameworkInfo();
    Optional<String> refused = refusal(info);
    if (refused.isPresent()) {
      stream.send(SchedulerEvents.error(refused.get()));
      stream.close();
      return Optional.empty();
    }
    String id = info.hasId() ? info.getId().getValue() : masterId + "-" + String.format("%04d", frameworkSerial++);
    FrameworkRecord f = frameworks.get(id);
    boolean known = f != null;
    metrics.inc(known ? "messages_reregister_framework" : "messages_register_framework");
    if (f == null) {
      f = new FrameworkRecord(id, info.toBuilder().setId(FrameworkID.newBuilder().setValue(id)).build());
      f.registeredTime = timers.wallSeconds();
      f.reregisteredTime = f.registeredTime;
      frameworks.put(id, f);
    } else {
      f.reregisteredTime = timers.wallSeconds();
      f.info = info.toBuilder().setId(FrameworkID.newBuilder().setValue(id)).build();
      if (f.stream != null) {
        // One stream per framework: the old one learns it lost.
        FrameworkStream old = f.stream;
        f.stream = null;
        old.send(SchedulerEvents.error("Framework failed over"));
        old.close();
      }
      cancelTimers(f);
      rescindSilently(f.id);
    }
    f.stream = stream;
    f.streamId = streamId;
    stream.send(SchedulerEvents.subscribed(id, settings.heartbeatInterval().toMillis() / 1000.0, masterInfo));
    stream.send(SchedulerEvents.heartbeat());
    FrameworkRecord subscribed = f;
    f.heartbeat = timers.every(settings.heartbeatInterval(), () -> send(subscribed, SchedulerEvents.heartbeat()));
    Set<String> suppressed = new HashSet<>(call.getSubscribe().getSuppressedRolesList());
    if (known) {
      allocator.removeFramework(id);
    }
    allocator.addFramework(id, f.roles(), suppressed, f.info.getCapabilitiesList().stream()
        .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.GPU_RESOURCES));
    flushOffers();
    LOG.info("[framework={}] subscribed ({})", id, known ? "resubscribed" : "new");
    return Optional.of(id);
  }

  private Optional<String> refusal(FrameworkInfo info) {
    if (info.hasId() && removedFrameworks.contains(info.getId().getValue())) {
      return Optional.of("Framework has been removed");
    }
    if (info.getUser().isEmpty()) {
      return Optional.of("Invalid FrameworkInfo: 'FrameworkInfo.user' must not be empty");
    }
    if (info.getUser().equals("root") && !settings.rootSubmissions()) {
      return Optional.of("User 'root' is not allowed to run frameworks without --root_submissions set");
    }
    boolean multiRole = info.getCapabilitiesList().stream()
        .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.MULTI_ROLE);
    if (multiRole && info.hasRole()) {
      return Optional.of("Invalid FrameworkInfo: 'FrameworkInfo.role' must not be set when MULTI_ROLE is used");
    }
    if (!multiRole && info.getRolesCount() > 0) {
      return Optional.of("Invalid FrameworkInfo: 'FrameworkInfo.roles' must not be set without MULTI_ROLE");
    }
    List<String> roles = multiRole ? info.getRolesList() : List.of(info.hasRole() ? info.getRole() : "*");
    if (settings.roles().isPresent()) {
      for (String role : roles) {
        if (!role.equals("*") && !settings.roles().get().contains(role)) {
          return Optional.of("Role '" + role + "' is not present in the master's --roles");
        }
      }
    }
    return Optional.empty();
  }

  /** The framework's SUBSCRIBE stream ended (the client went away): failover starts. */
  void streamClosed(String frameworkId, String streamId) {
    FrameworkRecord f = frameworks.get(frameworkId);
    if (f == null || f.stream == null || !streamId.equals(f.streamId)) {
      return;
    }
    f.stream = null;
    cancelTimers(f);
    allocator.deactivateFramework(frameworkId);
    rescindSilently(frameworkId);
    double timeout = f.info.getFailoverTimeout();
    LOG.info("[framework={}] disconnected; failover timeout {} s", frameworkId, timeout);
    f.failover = timers.schedule(Duration.ofMillis((long) (Math.max(0, timeout) * 1000)), () -> removeFramework(f));
  }

  /** Every call but SUBSCRIBE, after the gate passed it. */
  void handle(Call call) {
    FrameworkRecord f = frameworks.get(call.getFrameworkId().getValue());
    if (f == null) {
      return;
    }
    count(call);
    switch (call.getType()) {
      case TEARDOWN -> removeFramework(f);
      case ACCEPT -> accept(f, call.getAccept());
      case DECLINE -> decline(f, call.getDecline());
      case REVIVE -> reviveOrSuppress(f, call.getRevive().getRolesList(), true);
      case SUPPRESS -> reviveOrSuppress(f, call.getSuppress().getRolesList(), false);
      case KILL -> kill(f, call.getKill());
      case SHUTDOWN -> agentLink(call.getShutdown().getAgentId().getValue())
          .ifPresent(a -> a.shutdownExecutor(f.id, call.getShutdown().getExecutorId()));
      case MESSAGE -> agentLink(call.getMessage().getAgentId().getValue())
          .ifPresent(a -> a.message(f.id, call.getMessage().getExecutorId(), call.getMessage().getData()));
      case ACKNOWLEDGE -> {
        if (acknowledgementsToDrop > 0) {
          acknowledgementsToDrop--;
          LOG.info("[framework={}] fault injection: dropping the ACK for task {}", f.id, call.getAcknowledge().getTaskId().getValue());
        } else if (acknowledgementDelay.isZero()) {
          acknowledge(f, call.getAcknowledge());
        } else {
          timers.schedule(acknowledgementDelay, () -> acknowledge(f, call.getAcknowledge()));
        }
      }
      case RECONCILE -> reconciler.reconcile(f.id, f.partitionAware(), call.getReconcile(), this)
          .forEach(s -> send(f, SchedulerEvents.update(s)));
      default -> LOG.debug("[framework={}] ignoring {}", f.id, call.getType());
    }
  }

  /** Mesos's {@code master/messages_*} for a scheduler call. */
  private void count(Call call) {
    switch (call.getType()) {
      case TEARDOWN -> metrics.inc("messages_unregister_framework");
      case ACCEPT -> {
        for (org.apache.mesos.v1.Protos.Offer.Operation op : call.getAccept().getOperationsList()) {
          if (op.getType() == org.apache.mesos.v1.Protos.Offer.Operation.Type.LAUNCH) {
            metrics.inc(op.getLaunch().getTaskInfosCount() > 0 ? "messages_launch_tasks" : "messages_decline_offers");
          }
        }
      }
      case DECLINE -> metrics.inc("messages_decline_offers");
      case REVIVE -> metrics.inc("messages_revive_offers");
      case SUPPRESS -> metrics.inc("messages_suppress_offers");
      case KILL -> metrics.inc("messages_kill_task");
      case RECONCILE -> metrics.inc("messages_reconcile_tasks");
      case ACKNOWLEDGE -> metrics.inc("messages_status_update_acknowledgement");
      case MESSAGE -> {
        metrics.inc("messages_framework_to_executor");
        metrics.inc(agentLink(call.getMessage().getAgentId().getValue()).isPresent()
            ? "valid_framework_to_executor_messages" : "invalid_framework_to_executor_messages");
      }
      default -> { }
    }
  }

  private void accept(FrameworkRecord f, Call.Accept accept) {
    AcceptPlan plan = acceptValidator.validate(f.id, f.partitionAware(), accept, this);
    for (OfferRecord used : plan.used()) {
      offers.remove(used.id());
    }
    Duration filter = OfferFilters.refuseDuration(accept.getFilters());
    if (plan.agentId() == null) {
      for (OfferRecord used : plan.used()) {
        allocator.recover(f.id, used.role(), used.agentId(), used.resources(), filter);
      }
    } else if (!plan.leftover().isEmpty()) {
      allocator.recover(f.id, plan.role(), plan.agentId(), plan.leftover(), filter);
    }
    for (TaskStatus rejection : plan.rejections()) {
      metrics.terminal(rejection.getState());
      send(f, SchedulerEvents.update(rejection));
    }
    if (plan.agentId() == null) {
      return;
    }
    AgentRecord agent = agents.get(plan.agentId());
    for (AcceptPlan.Launch launch : plan.launches()) {
      TaskInfo task = launch.task();
      TaskStatus staging = TaskStatus.newBuilder().setTaskId(task.getTaskId()).setState(TaskState.TASK_STAGING)
          .setAgentId(AgentID.newBuilder().setValue(plan.agentId())).setSource(TaskStatus.Source.SOURCE_MASTER)
          .setTimestamp(timers.wallSeconds()).build();
      Resources taskResources = Resources.of(task.getResourcesList());
      tasks.computeIfAbsent(f.id, k -> new LinkedHashMap<>())
          .put(task.getTaskId().getValue(), new TaskRecord(f.id, plan.agentId(), task, taskResources, staging));
      if (launch.newExecutor() && task.hasExecutor()) {
        agent.executors.computeIfAbsent(f.id, k -> new LinkedHashMap<>())
            .put(task.getExecutor().getExecutorId().getValue(), task.getExecutor());
        agent.executorRoles.put(f.id + "/" + task.getExecutor().getExecutorId().getValue(), plan.role());
      }
      agent.link.launch(f.info, task);
    }
  }

  private void decline(FrameworkRecord f, Call.Decline decline) {
    Duration filter = OfferFilters.refuseDuration(decline.getFilters());
    for (OfferID id : decline.getOfferIdsList()) {
      Optional<OfferRecord> offer = offers.get(id.getValue()).filter(o -> o.frameworkId().equals(f.id));
      if (offer.isPresent()) {
        offers.remove(id.getValue());
        allocator.recover(f.id, offer.get().role(), offer.get().agentId(), offer.get().resources(), filter);
      }
    }
  }

  private void reviveOrSuppress(FrameworkRecord f, List<String> roles, boolean revive) {
    // One role the framework did not subscribe with drops the whole call (the HTTP answer is still 202).
    if (!f.roles().containsAll(roles)) {
      LOG.debug("[framework={}] dropping {} for roles {}", f.id, revive ? "REVIVE" : "SUPPRESS", roles);
      return;
    }
    if (revive) {
      allocator.revive(f.id, Set.copyOf(roles));
      flushOffers();
    } else {
      allocator.suppress(f.id, Set.copyOf(roles));
    }
  }

  private void kill(FrameworkRecord f, Call.Kill kill) {
    TaskRecord task = tasks.getOrDefault(f.id, Map.of()).get(kill.getTaskId().getValue());
    if (task == null) {
      // An unknown task is reconciled explicitly.
      Call.Reconcile.Builder r = Call.Reconcile.newBuilder();
      Call.Reconcile.Task.Builder t = r.addTasksBuilder().setTaskId(kill.getTaskId());
      if (kill.hasAgentId()) {
        t.setAgentId(kill.getAgentId());
      }
      reconciler.reconcile(f.id, f.partitionAware(), r.build(), this).forEach(s -> send(f, SchedulerEvents.update(s)));
      return;
    }
    if (kill.hasAgentId() && !kill.getAgentId().getValue().equals(task.agentId)) {
      return;
    }
    agentLink(task.agentId).ifPresent(a -> a.kill(f.id, kill.getTaskId(),
        kill.hasKillPolicy() ? kill.getKillPolicy() : task.info.getKillPolicy()));
  }

  private void acknowledge(FrameworkRecord f, Call.Acknowledge ack) {
    AgentRecord agent = agents.get(ack.getAgentId().getValue());
    if (agent == null || agent.presence != AgentPresence.REGISTERED || !agent.connected) {
      metrics.inc("invalid_status_update_acknowledgements");
      return;
    }
    metrics.inc("valid_status_update_acknowledgements");
    Map<String, TaskRecord> byId = tasks.get(f.id);
    TaskRecord task = byId == null ? null : byId.get(ack.getTaskId().getValue());
    if (task != null && task.terminal() && task.latest.hasUuid() && task.latest.getUuid().equals(ack.getUuid())) {
      byId.remove(ack.getTaskId().getValue());
      f.completed(task);
    }
    agent.link.acknowledge(f.id, ack.getTaskId(), ack.getUuid());
  }

  private void removeFramework(FrameworkRecord f) {
    if (frameworks.remove(f.id) == null) {
      return;
    }
    cancelTimers(f);
    removedFrameworks.add(f.id);
    if (f.stream != null) {
      FrameworkStream s = f.stream;
      f.stream = null;
      s.close();
    }
    rescindSilently(f.id);
    // Whatever its tasks and executors hold goes back to the agents' free pools.
    for (TaskRecord t : tasks.getOrDefault(f.id, Map.of()).values()) {
      if (!t.resourcesRecovered) {
        t.resourcesRecovered = true;
        allocator.recover(f.id, roleOf(t), t.agentId, t.resources, Duration.ZERO);
      }
    }
    for (AgentRecord agent : agents.values()) {
      Map<String, ExecutorInfo> executors = agent.executors.remove(f.id);
      if (executors != null) {
        executors.forEach((executorId, executor) -> {
          String role = agent.executorRoles.remove(f.id + "/" + executorId);
          allocator.recover(f.id, role == null ? "*" : role, agent.info.getId().getValue(),
              Resources.of(executor.getResourcesList()), Duration.ZERO);
        });
      }
      // Every registered agent is told, whatever the master knows of it (Mesos's removeFramework):
      // a command executor whose task ended and was acknowledged is known only to its agent.
      if (agent.connected) {
        agent.link.shutdownFramework(f.id);
      }
    }
    // As Mesos's removeFramework: live tasks end TASK_KILLED (no update is sent), and every task
    // stays visible under the completed framework.
    for (TaskRecord t : tasks.getOrDefault(f.id, Map.of()).values()) {
      if (!t.terminal()) {
        t.update(TaskStatus.newBuilder().setTaskId(t.info.getTaskId()).setState(TaskState.TASK_KILLED)
            .setSource(TaskStatus.Source.SOURCE_MASTER).setReason(TaskStatus.Reason.REASON_FRAMEWORK_REMOVED)
            .setMessage("Framework " + f.id + " removed").setAgentId(AgentID.newBuilder().setValue(t.agentId))
            .setTimestamp(timers.wallSeconds()).build());
        metrics.terminal(TaskState.TASK_KILLED);
      }
      f.completed(t);
    }
    f.unregisteredTime = timers.wallSeconds();
    completedFrameworks.put(f.id, f);
    while (completedFrameworks.size() > MAX_COMPLETED_FRAMEWORKS) {
      completedFrameworks.remove(completedFrameworks.keySet().iterator().next());
    }
    tasks.remove(f.id);
    allocator.removeFramework(f.id);
    LOG.info("[framework={}] removed", f.id);
  }

  private static String roleOf(TaskRecord t) {
    return t.info.getResourcesCount() > 0 ? t.info.getResources(0).getAllocationInfo().getRole() : "*";
  }

  // ---- Agent-facing --------------------------------------------------------------------------

  /** An agent registers with its total resources; returns its new ID. */
  String registerAgent(AgentInfo info, AgentLink link) {
    String id = masterId + "-S" + agentSerial++;
    AgentInfo withId = info.toBuilder().setId(AgentID.newBuilder().setValue(id)).build();
    AgentRecord record = new AgentRecord(withId, link);
    record.registeredTime = timers.wallSeconds();
    agents.put(id, record);
    metrics.inc("messages_register_slave");
    metrics.inc("slave_registrations");
    allocator.addAgent(id, Resources.of(withId.getResourcesList()));
    flushOffers();
    return id;
  }

  /**
   * The agent went down (it is restarting). As Mesos's {@code Master::disconnect} and
   * {@code Master::deactivate}: it keeps its tasks and resources, but the allocator offers nothing
   * of it and every offer outstanding on it is rescinded (RESCIND to its framework, the resources
   * back to the allocator), so no scheduler can launch on an agent that is not there. Its offers
   * come again once it has reregistered.
   */
  void agentDisconnected(String agentId) {
    AgentRecord a = agents.get(agentId);
    if (a == null || !a.connected) {
      return;
    }
    a.connected = false;
    allocator.deactivateAgent(agentId);
    rescindOffersOn(agentId);
    LOG.info("[agent={}] disconnected: its offers are rescinded until it reregisters", agentId);
  }

  private void rescindOffersOn(String agentId) {
    for (OfferRecord o : offers.removeIf(o -> o.agentId().equals(agentId))) {
      allocator.recover(o.frameworkId(), o.role(), o.agentId(), o.resources(), Duration.ZERO);
      FrameworkRecord f = frameworks.get(o.frameworkId());
      if (f != null) {
        send(f, SchedulerEvents.rescind(o.id()));
      }
    }
  }

  /**
   * The agent came back from a restart (Mesos's {@code Master::___reregisterSlave} and
   * {@code reconcileKnownSlave}). Its tasks that it no longer knows (those of frameworks without
   * checkpointing, and launches that reached it while it was down) are reported lost, as
   * reconciling them through the agent would find them; executors it no longer knows are removed
   * and their resources recovered. Then the agent is active again: its free resources are offered
   * from the next allocation batch (Mesos's {@code activateSlave}), recovered resources included.
   */
  void agentReregistered(String agentId, AgentLink link, Set<String> knownTasks,
      Map<String, Set<String>> knownExecutors) {
    AgentRecord a = agents.get(agentId);
    if (a == null) {
      return;
    }
    a.link = link;
    a.reregisteredTime = timers.wallSeconds();
    metrics.inc("messages_reregister_slave");
    metrics.inc("slave_reregistrations");
    // As Mesos's master does for completed frameworks: a removal the agent missed while it was away.
    removedFrameworks.forEach(link::shutdownFramework);
    for (Map.Entry<String, Map<String, TaskRecord>> byFramework : tasks.entrySet()) {
      FrameworkRecord f = frameworks.get(byFramework.getKey());
      for (TaskRecord t : List.copyOf(byFramework.getValue().values())) {
        if (!t.agentId.equals(agentId) || t.terminal() || knownTasks.contains(t.info.getTaskId().getValue())) {
          continue;
        }
        TaskStatus lost = TaskStatus.newBuilder().setTaskId(t.info.getTaskId())
            .setState(f != null && f.partitionAware() ? TaskState.TASK_DROPPED : TaskState.TASK_LOST)
            .setSource(TaskStatus.Source.SOURCE_MASTER).setReason(TaskStatus.Reason.REASON_RECONCILIATION)
            .setMessage("Task is unknown to the agent after it restarted")
            .setAgentId(AgentID.newBuilder().setValue(agentId)).setTimestamp(timers.wallSeconds()).build();
        statusUpdate(byFramework.getKey(), lost);
      }
    }
    for (Map.Entry<String, Map<String, ExecutorInfo>> byFramework : a.executors.entrySet()) {
      Set<String> known = knownExecutors.getOrDefault(byFramework.getKey(), Set.of());
      byFramework.getValue().entrySet().removeIf(executor -> {
        if (known.contains(executor.getKey())) {
          return false;
        }
        String role = a.executorRoles.remove(byFramework.getKey() + "/" + executor.getKey());
        allocator.recover(byFramework.getKey(), role == null ? "*" : role, agentId,
            Resources.of(executor.getValue().getResourcesList()), Duration.ZERO);
        LOG.info("[agent={}] executor {} of framework {} is unknown to the agent after its restart: removed",
            agentId, executor.getKey(), byFramework.getKey());
        return true;
      });
    }
    a.connected = true;
    if (a.presence == AgentPresence.REGISTERED) {
      allocator.reactivateAgent(agentId);
    }
    LOG.info("[agent={}] reregistered", agentId);
  }

  /**
   * A status update the agent forwards. The master records it and passes it to the framework if
   * it is connected; otherwise it is dropped (the agent retries until acknowledged).
   */
  void statusUpdate(String frameworkId, TaskStatus status) {
    if (status.hasAgentId() && status.getSource() != TaskStatus.Source.SOURCE_MASTER) {
      AgentRecord from = agents.get(status.getAgentId().getValue());
      if (from != null && !from.connected) {
        // Cut off from the master: lost on the way; the agent retries until acknowledged.
        return;
      }
    }
    metrics.inc("messages_status_update");
    TaskRecord task = tasks.getOrDefault(frameworkId, Map.of()).get(status.getTaskId().getValue());
    metrics.inc(task != null ? "valid_status_updates" : "invalid_status_updates");
    if (task != null) {
      task.update(status);
      if (task.terminal() && !task.resourcesRecovered) {
        metrics.terminal(status.getState());
        task.resourcesRecovered = true;
        // Freed resources wait for the next allocation batch.
        allocator.recover(frameworkId, roleOf(task), task.agentId, task.resources, Duration.ZERO);
      }
    }
    FrameworkRecord f = frameworks.get(frameworkId);
    if (f != null) {
      send(f, SchedulerEvents.update(status));
    }
  }

  /** An executor exited on an agent: its resources return, and the framework hears FAILURE. */
  void executorExited(String frameworkId, String agentId, ExecutorID executorId, Optional<Integer> waitStatus) {
    metrics.inc("messages_exited_executor");
    AgentRecord agent = agents.get(agentId);
    if (agent != null) {
      Map<String, ExecutorInfo> byId = agent.executors.get(frameworkId);
      ExecutorInfo executor = byId == null ? null : byId.remove(executorId.getValue());
      String role = agent.executorRoles.remove(frameworkId + "/" + executorId.getValue());
      if (executor != null) {
        allocator.recover(frameworkId, role == null ? "*" : role, agentId, Resources.of(executor.getResourcesList()),
            Duration.ZERO);
      }
    }
    FrameworkRecord f = frameworks.get(frameworkId);
    if (f != null) {
      send(f, SchedulerEvents.failure(agentId, executorId, waitStatus.orElse(null)));
    }
  }

  /** A MESSAGE from an executor to its scheduler (best effort). */
  void executorMessage(String frameworkId, String agentId, ExecutorID executorId, ByteString data) {
    FrameworkRecord f = frameworks.get(frameworkId);
    metrics.inc("messages_executor_to_framework");
    metrics.inc(f != null ? "valid_executor_to_framework_messages" : "invalid_executor_to_framework_messages");
    if (f != null) {
      send(f, SchedulerEvents.message(agentId, executorId, data));
    }
  }

  // ---- Offers --------------------------------------------------------------------------------

  private void offerMade(String frameworkId, String role, String agentId, Resources resources) {
    AgentRecord agent = agents.get(agentId);
    offers.add(frameworkId, role, agent.info, resources, agent.executors.getOrDefault(frameworkId, Map.of()).keySet());
  }

  /** Sends each framework one OFFERS event with what the last allocation gave it. */
  private void flushOffers() {
    offers.flush((frameworkId, list) -> {
      FrameworkRecord f = frameworks.get(frameworkId);
      if (f != null) {
        send(f, SchedulerEvents.offers(list));
      }
    });
  }

  /** Offers discarded without RESCIND, as on disconnect and resubscribe. */
  private void rescindSilently(String frameworkId) {
    for (OfferRecord o : offers.removeIf(o -> o.frameworkId().equals(frameworkId))) {
      allocator.recover(frameworkId, o.role(), o.agentId(), o.resources(), Duration.ZERO);
    }
  }

  // ---- Views ---------------------------------------------------------------------------------

  @Override
  public Optional<String> leader() {
    return leadership.state() == Leadership.State.FOLLOWING ? Optional.of(leadership.leaderAddress()) : Optional.empty();
  }

  @Override
  public boolean leaderElected() {
    return leadership.state() != Leadership.State.NONE;
  }

  boolean leading() {
    return leadership.state() == Leadership.State.LEADING;
  }

  /**
   * ZooKeeper says who leads. A master that loses the lead drops its frameworks' streams (a real
   * master process would abort); they resubscribe with the new leader.
   */
  void leadershipChanged(Leadership now) {
    boolean wasLeading = leading();
    leadership = now;
    if (!wasLeading && leading()) {
      electedTime = timers.wallSeconds();
    } else if (!leading()) {
      electedTime = null;
    }
    LOG.info("leadership: {}{}", now.state(), now.leaderAddress() == null ? "" : " " + now.leaderAddress());
    if (wasLeading && !leading()) {
      for (FrameworkRecord f : List.copyOf(frameworks.values())) {
        cutStream(f.id);
      }
    }
  }

  /** After a master failover, an agent reregisters with its ID and total resources. */
  void reregisterAgent(AgentInfo info, AgentLink link) {
    String id = info.getId().getValue();
    AgentRecord a = agents.get(id);
    if (a == null) {
      AgentRecord record = new AgentRecord(info, link);
      record.registeredTime = timers.wallSeconds();
      record.reregisteredTime = record.registeredTime;
      agents.put(id, record);
      allocator.addAgent(id, Resources.of(info.getResourcesList()));
      flushOffers();
    } else {
      a.link = link;
      a.connected = true;
    }
  }

  @Override
  public boolean recovered() {
    return true;
  }

  @Override
  public boolean frameworkKnown(String frameworkId) {
    return frameworks.containsKey(frameworkId);
  }

  @Override
  public Optional<String> principal(String frameworkId) {
    FrameworkRecord f = frameworks.get(frameworkId);
    return f != null && f.info.hasPrincipal() ? Optional.of(f.info.getPrincipal()) : Optional.empty();
  }

  @Override
  public boolean connected(String frameworkId) {
    FrameworkRecord f = frameworks.get(frameworkId);
    return f != null && f.connected();
  }

  @Override
  public Optional<String> streamId(String frameworkId) {
    FrameworkRecord f = frameworks.get(frameworkId);
    return f != null && f.connected() ? Optional.of(f.streamId) : Optional.empty();
  }

  @Override
  public Optional<OfferRecord> offer(String offerId) {
    return offers.get(offerId);
  }

  @Override
  public boolean liveTask(String frameworkId, String taskId) {
    TaskRecord t = tasks.getOrDefault(frameworkId, Map.of()).get(taskId);
    return t != null && !t.terminal();
  }

  @Override
  public Optional<ExecutorInfo> executor(String agentId, String frameworkId, String executorId) {
    AgentRecord a = agents.get(agentId);
    return a == null ? Optional.empty()
        : Optional.ofNullable(a.executors.getOrDefault(frameworkId, Map.of()).get(executorId));
  }

  @Override
  public Collection<TaskStatus> knownTasks(String frameworkId) {
    return tasks.getOrDefault(frameworkId, Map.of()).values().stream().map(t -> t.latest).toList();
  }

  @Override
  public Optional<TaskStatus> latest(String frameworkId, String taskId) {
    return Optional.ofNullable(tasks.getOrDefault(frameworkId, Map.of()).get(taskId)).map(t -> t.latest);
  }

  @Override
  public AgentPresence agent(String agentId) {
    AgentRecord a = agents.get(agentId);
    return a == null ? AgentPresence.UNKNOWN : a.presence;
  }

  // ---- Fault injection ----------------------------------------------------------------------

  /** The next {@code count} scheduler ACKs are lost on the way to the master. */
  void dropAcknowledgements(int count) {
    acknowledgementsToDrop = count;
  }

  /** Scheduler ACKs reach the agents only after {@code delay}. */
  void delayAcknowledgements(Duration delay) {
    acknowledgementDelay = delay;
  }

  /** The framework's SUBSCRIBE connection breaks, as a network cut would break it. */
  void cutStream(String frameworkId) {
    FrameworkRecord f = frameworks.get(frameworkId);
    if (f != null && f.stream != null) {
      String streamId = f.streamId;
      f.stream.close();
      streamClosed(frameworkId, streamId);
    }
  }

  /**
   * A network partition between the master and the agent: the master marks it unreachable,
   * rescinds its offers, reports its live tasks unreachable ({@code TASK_UNREACHABLE}, or
   * {@code TASK_LOST} without PARTITION_AWARE) and tells every framework the agent was lost.
   */
  void partition(String agentId) {
    AgentRecord a = agents.get(agentId);
    if (a == null || a.presence == AgentPresence.UNREACHABLE) {
      return;
    }
    a.presence = AgentPresence.UNREACHABLE;
    a.connected = false;
    allocator.deactivateAgent(agentId);
    rescindOffersOn(agentId);
    for (Map.Entry<String, Map<String, TaskRecord>> byFramework : tasks.entrySet()) {
      FrameworkRecord f = frameworks.get(byFramework.getKey());
      for (TaskRecord t : byFramework.getValue().values()) {
        if (!t.agentId.equals(agentId) || t.terminal()) {
          continue;
        }
        t.update(TaskStatus.newBuilder().setTaskId(t.info.getTaskId())
            .setState(f != null && f.partitionAware() ? TaskState.TASK_UNREACHABLE : TaskState.TASK_LOST)
            .setSource(TaskStatus.Source.SOURCE_MASTER).setReason(TaskStatus.Reason.REASON_AGENT_REMOVED)
            .setMessage("Agent " + agentId + " is unreachable").setAgentId(AgentID.newBuilder().setValue(agentId))
            .setTimestamp(timers.wallSeconds()).build());
        metrics.terminal(t.latest.getState());
        if (f != null) {
          send(f, SchedulerEvents.update(t.latest));
        }
      }
    }
    for (FrameworkRecord f : frameworks.values()) {
      send(f, SchedulerEvents.failure(agentId, null, null));
    }
  }

  /** Sends the offers a fault's recovery produced (heal allocates at once, as an agent joining does). */
  void flushAfterFaults() {
    flushOffers();
  }

  /** The partition heals: the agent reregisters and its updates flow again. */
  void heal(String agentId) {
    AgentRecord a = agents.get(agentId);
    if (a == null || a.presence != AgentPresence.UNREACHABLE) {
      return;
    }
    a.presence = AgentPresence.REGISTERED;
    a.connected = true;
    allocator.activateAgent(agentId);
    // Tasks of frameworks that are not partition-aware were reported lost: the agent kills them.
    for (Map.Entry<String, Map<String, TaskRecord>> byFramework : tasks.entrySet()) {
      FrameworkRecord f = frameworks.get(byFramework.getKey());
      if (f == null || f.partitionAware()) {
        continue;
      }
      for (TaskRecord t : byFramework.getValue().values()) {
        if (t.agentId.equals(agentId)) {
          a.link.kill(f.id, t.info.getTaskId(), t.info.getKillPolicy());
        }
      }
    }
  }

  // ---- Snapshots for /state ------------------------------------------------------------------

  Collection<FrameworkRecord> frameworkRecords() {
    return frameworks.values();
  }

  Collection<TaskRecord> taskRecords(String frameworkId) {
    return tasks.getOrDefault(frameworkId, Map.of()).values();
  }

  /** Registered agents, in registration order. */
  Collection<AgentRecord> agentRecords() {
    return agents.values();
  }

  /** Removed frameworks still shown (the last {@value #MAX_COMPLETED_FRAMEWORKS}), oldest first. */
  Collection<FrameworkRecord> completedFrameworkRecords() {
    return completedFrameworks.values();
  }

  List<OfferRecord> outstandingOffers() {
    return offers.outstanding();
  }

  MasterMetrics metrics() {
    return metrics;
  }

  double startTime() {
    return startTime;
  }

  Map<String, String> flags() {
    return flags;
  }

  void flags(Map<String, String> flags) {
    this.flags = Map.copyOf(flags);
  }

  /** Wall-clock seconds now (the master's timers' clock). */
  double now() {
    return timers.wallSeconds();
  }

  Optional<Double> electedTime() {
    return Optional.ofNullable(electedTime);
  }

  /** The leading master's address ({@code host:port}), this one's when it leads; empty while none is elected. */
  Optional<String> leaderAddress() {
    return leading() ? Optional.of(settings.hostname() + ":" + settings.port()) : leader();
  }

  // ---- Helpers -------------------------------------------------------------------------------

  private Optional<AgentLink> agentLink(String agentId) {
    AgentRecord a = agents.get(agentId);
    return a == null || a.presence != AgentPresence.REGISTERED ? Optional.empty() : Optional.of(a.link);
  }

  /** Events for a disconnected framework are dropped, as Mesos does. */
  private static void send(FrameworkRecord f, Event event) {
    if (f.stream != null) {
      f.stream.send(event);
    }
  }

  private static void cancelTimers(FrameworkRecord f) {
    if (f.heartbeat != null) {
      f.heartbeat.cancel();
      f.heartbeat = null;
    }
    if (f.failover != null) {
      f.failover.cancel();
      f.failover = null;
    }
  }
}
