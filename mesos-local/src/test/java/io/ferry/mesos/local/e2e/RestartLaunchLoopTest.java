package io.ferry.mesos.local.e2e;

import static io.ferry.mesos.local.e2e.ConformanceTest.agentAddress;
import static io.ferry.mesos.local.e2e.ConformanceTest.launch;
import static io.ferry.mesos.local.e2e.ConformanceTest.placeholder;
import static io.ferry.mesos.local.e2e.LocalClusterTest.scalar;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mesos.ContentType;
import io.ferry.mesos.local.Await;
import io.ferry.mesos.local.LocalCluster;
import io.ferry.mesos.local.agent.AgentCore;
import io.ferry.mesos.local.agent.LocalAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent restart followed at once by a launch, many times over (the bug of issue 11: after
 * {@code LocalAgent.restart} the scheduler held two offers and a task launched on one of them was
 * never heard of again). Each iteration the scheduler holds the agent's offer and the agent
 * restarts; then the scheduler launches at once on the offer it held (as a framework that has not
 * read the RESCIND yet would), or, every other time, on whatever offer it holds once it has read
 * the events that came. A real executor process (a placeholder the test speaks for over HTTP,
 * {@link ResubscribingExecutor}) lives through every restart. Checked throughout, from the
 * scheduler's own view of its offers:
 *
 * <ul>
 *   <li>no resource is in two outstanding offers, nor in an offer and a running task (the offers'
 *       and the live tasks' cpus and mem never exceed the agent's);
 *   <li>the agent answers every request of the executor: a restart closes the connections it had
 *       accepted, so none is left open and unanswered (a kept-alive connection would otherwise
 *       swallow the executor's next UPDATE);
 *   <li>every offer ID is new, and every offer held when the agent went down is rescinded (Mesos's
 *       {@code Master::deactivate});
 *   <li>every task launched ends: RUNNING then FINISHED, or, when it was launched on an offer that
 *       the restart rescinded, TASK_LOST with {@code REASON_INVALID_OFFERS} (the launch never
 *       reaches the agent), after which it is launched again on a fresh offer and must finish.
 * </ul>
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RestartLaunchLoopTest {

  static final int ITERATIONS = 50;
  static final Duration WAIT = Duration.ofSeconds(10);
  static final double CPUS = 2;
  static final double MEM = 1024;

  /**
   * The one way a launch sent after {@code restart} returned may end without running: its offer
   * was rescinded when the agent went down, so the master refuses it (Mesos: TASK_LOST or
   * TASK_DROPPED, {@code REASON_INVALID_OFFERS}). Never by reaching the agent while it is down.
   */
  static final Set<TaskStatus.Reason> RESTART_REASONS = EnumSet.of(TaskStatus.Reason.REASON_INVALID_OFFERS);

  @TempDir Path work;
  LocalCluster cluster;
  RawScheduler scheduler;
  ResubscribingExecutor executor;

  /** The scheduler's view: outstanding offers, tasks, and what went wrong. */
  final Map<String, Offer> outstanding = new LinkedHashMap<>();
  final Set<String> offerIds = new HashSet<>();
  final Set<String> rescinded = new HashSet<>();
  final Map<String, String> acceptedOfferTask = new LinkedHashMap<>();
  final Map<String, TaskRecord> tasks = new LinkedHashMap<>();
  final List<String> violations = new ArrayList<>();
  /** The executor's own resources are in use from its first launch on (it lives through every restart). */
  boolean executorLaunched;

  static final class TaskRecord {
    final double cpus;
    final double mem;
    final List<TaskStatus> updates = new ArrayList<>();
    /** Launched on an offer the master had already rescinded: it never took resources. */
    boolean onRescindedOffer;

    TaskRecord(double cpus, double mem) {
      this.cpus = cpus;
      this.mem = mem;
    }

    Optional<TaskStatus> terminal() {
      return updates.stream().filter(s -> terminal(s.getState())).findFirst();
    }

    static boolean terminal(TaskState s) {
      return switch (s) {
        case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_LOST, TASK_ERROR, TASK_DROPPED, TASK_GONE -> true;
        default -> false;
      };
    }
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (executor != null) {
        executor.close();
      }
      if (scheduler != null) {
        scheduler.close();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  @Test
  void aLaunchRightAfterAnAgentRestartIsNeverLostAndNoResourceIsOfferedTwice() throws Exception {
    cluster = LocalCluster.start(LocalCluster.Settings.parse("local-cluster[1," + (int) CPUS + "," + (int) MEM + "]", work)
        .withAllocationInterval(Duration.ofMillis(50)).withUpdateRetry(Duration.ofMillis(200)));
    LocalAgent agent = cluster.agents().get(0);
    scheduler = new RawScheduler(cluster.masterUrl());
    FrameworkInfo framework = FrameworkInfo.newBuilder().setUser(System.getProperty("user.name"))
        .setName("restart-loop").setCheckpoint(true).setFailoverTimeout(60).build();
    assertThat(scheduler.subscribe(framework, ContentType.JSON)).isEqualTo(200);
    ExecutorInfo placeholder = placeholder("e1");

    Offer first = heldOffer();
    runToTheEnd("t0", placeholder, first);
    int refused = 0;
    long started = System.nanoTime();
    for (int i = 1; i <= ITERATIONS; i++) {
      Offer before = heldOffer();
      Set<String> heldBefore = Set.copyOf(outstanding.keySet());
      agent.restart(Duration.ofMillis(i % 3 * 10L), Duration.ofMillis(20), Duration.ofSeconds(3));
      // Odd iterations launch at once on the offer held before the restart, as a scheduler that has
      // not read the RESCIND yet; even ones first read what came and take the offer they then hold.
      Offer offer = before;
      if (i % 2 == 0) {
        pump(Duration.ZERO);
        offer = outstanding.containsKey(before.getId().getValue()) ? before : heldOffer();
      }
      String task = "t" + i;
      int attempt = 0;
      while (!runToTheEnd(task, placeholder, offer)) {
        refused++;
        attempt++;
        assertThat(attempt).as("launches of iteration %d refused by the restart", i).isLessThan(4);
        Await.until(WAIT, "the agent to end its recovery", () -> agent.phase() == AgentCore.Phase.RUNNING);
        task = "t" + i + "-again" + attempt;
        offer = heldOffer();
      }
      Await.until(WAIT, "the agent to end its recovery", () -> agent.phase() == AgentCore.Phase.RUNNING);
      for (String id : heldBefore) {
        pumpUntil("offer " + id + " (held when the agent went down) to be rescinded", () -> rescinded.contains(id));
      }
      assertThat(violations).as("iteration %d", i).isEmpty();
      assertThat(executor.unanswered).as("requests the agent left unanswered (iteration %d): %s", i, executor.trace())
          .isEmpty();
    }
    assertThat(executor.failure).isNull();
    assertThat(tasks.values().stream().filter(t -> t.terminal().map(s -> s.getState() == TaskState.TASK_FINISHED)
        .orElse(false)).count()).as("tasks finished").isEqualTo(ITERATIONS + 1);
    System.out.printf("RestartLaunchLoopTest: %d restarts in %d ms, %d launches refused by a restart, %d rescinds%n",
        ITERATIONS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), refused, rescinded.size());
  }

  /**
   * Launches {@code taskId} on {@code offer} and follows it to its end: true when it finished
   * (RUNNING seen first), false when the restart refused it with a reason; fails if it never ends.
   */
  boolean runToTheEnd(String taskId, ExecutorInfo executorInfo, Offer offer) throws Exception {
    TaskInfo task = TaskInfo.newBuilder().setName(taskId).setTaskId(TaskID.newBuilder().setValue(taskId))
        .setAgentId(offer.getAgentId()).addResources(scalar("cpus", 0.25)).addResources(scalar("mem", 32))
        .setExecutor(executorInfo).build();
    tasks.put(taskId, new TaskRecord(0.25, 32));
    outstanding.remove(offer.getId().getValue());
    acceptedOfferTask.put(offer.getId().getValue(), taskId);
    executorLaunched = true;
    var answer = scheduler.call(scheduler.callOf(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
        .addOfferIds(offer.getId()).addOperations(launch(task))).build());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    if (executor == null) {
      executor = new ResubscribingExecutor(agentAddress(offer), scheduler.frameworkId, executorInfo.getExecutorId())
          .start();
    }
    TaskRecord t = tasks.get(taskId);
    pumpUntil("a terminal update for " + taskId + " (executor got LAUNCH for " + executor.launched + ")",
        () -> t.terminal().isPresent());
    TaskStatus end = t.terminal().get();
    if (end.getState() == TaskState.TASK_FINISHED) {
      assertThat(t.updates).extracting(TaskStatus::getState).as(taskId).startsWith(TaskState.TASK_RUNNING);
      return true;
    }
    assertThat(end.getState()).as(taskId + ": " + end.getMessage() + "; executor: " + executor.trace()).isIn(TaskState.TASK_LOST, TaskState.TASK_DROPPED);
    assertThat(end.getReason()).as(taskId + ": " + end.getMessage() + "; executor: " + executor.trace()).isIn(RESTART_REASONS);
    assertThat(t.updates).as(taskId + " never ran").extracting(TaskStatus::getState)
        .doesNotContain(TaskState.TASK_RUNNING);
    return false;
  }

  /** An outstanding offer with room for a task, waiting for one if none is held. */
  Offer heldOffer() throws Exception {
    pumpUntil("an offer with room for a task", () -> outstanding.values().stream().anyMatch(o -> cpus(o) >= 0.35));
    return outstanding.values().stream().filter(o -> cpus(o) >= 0.35).findFirst().orElseThrow();
  }

  void pumpUntil(String what, java.util.function.BooleanSupplier done) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + WAIT + " waiting for " + what + "; violations: " + violations
            + "; tasks: " + describeTasks() + "; outstanding offers: " + outstanding.keySet()
            + (executor == null ? "" : "; executor: " + executor.trace()));
      }
      pump(Duration.ofMillis(20));
    }
  }

  /** Applies every scheduler event that arrives within {@code wait} (or is already there). */
  void pump(Duration wait) throws Exception {
    Event e = scheduler.events.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
    while (e != null) {
      apply(e);
      e = scheduler.events.poll();
    }
  }

  void apply(Event e) throws Exception {
    switch (e.getType()) {
      case OFFERS -> {
        for (Offer o : e.getOffers().getOffersList()) {
          if (!offerIds.add(o.getId().getValue())) {
            violations.add("offer " + o.getId().getValue() + " was made twice");
          }
          outstanding.put(o.getId().getValue(), o);
        }
        checkNothingOfferedTwice();
      }
      case RESCIND -> {
        String id = e.getRescind().getOfferId().getValue();
        rescinded.add(id);
        outstanding.remove(id);
        String task = acceptedOfferTask.get(id);
        if (task != null) {
          // The master rescinded it before our ACCEPT reached it: the launch took nothing.
          tasks.get(task).onRescindedOffer = true;
        }
      }
      case UPDATE -> {
        TaskStatus s = e.getUpdate().getStatus();
        TaskRecord t = tasks.get(s.getTaskId().getValue());
        if (t == null) {
          violations.add("an update for a task never launched: " + s.getTaskId().getValue());
        } else {
          t.updates.add(s);
        }
        if (s.hasUuid()) {
          scheduler.call(scheduler.callOf(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
              .setAgentId(s.getAgentId()).setTaskId(s.getTaskId()).setUuid(s.getUuid())).build());
        }
      }
      default -> { }
    }
  }

  /** Outstanding offers plus live tasks plus the executor never exceed the agent. */
  void checkNothingOfferedTwice() {
    double cpus = executorLaunched ? 0.1 : 0;
    double mem = executorLaunched ? 32 : 0;
    for (Offer o : outstanding.values()) {
      cpus += cpus(o);
      mem += scalarOf(o, "mem");
    }
    for (TaskRecord t : tasks.values()) {
      if (t.terminal().isEmpty() && !t.onRescindedOffer) {
        cpus += t.cpus;
        mem += t.mem;
      }
    }
    if (cpus > CPUS + 1e-6 || mem > MEM + 1e-6) {
      violations.add(String.format("resources offered twice: outstanding offers %s plus live tasks and the executor"
          + " come to cpus %.2f mem %.0f on an agent of cpus %.0f mem %.0f", outstanding.keySet(), cpus, mem, CPUS, MEM));
    }
  }

  String describeTasks() {
    StringBuilder b = new StringBuilder();
    tasks.forEach((id, t) -> b.append(id).append('=').append(t.updates.stream()
        .map(s -> s.getState() + (s.hasReason() ? "(" + s.getReason() + ")" : "")).toList()).append(' '));
    return b.toString();
  }

  static double cpus(Offer o) {
    return scalarOf(o, "cpus");
  }

  static double scalarOf(Offer o, String name) {
    return o.getResourcesList().stream().filter(r -> r.getName().equals(name)).mapToDouble(r -> r.getScalar().getValue())
        .sum();
  }
}
