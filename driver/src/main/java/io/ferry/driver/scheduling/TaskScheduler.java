package io.ferry.driver.scheduling;

import io.ferry.api.Task;
import io.ferry.api.TaskSerializer;
import io.ferry.driver.ClassGenerations;
import io.ferry.driver.JobProgress;
import io.ferry.driver.TaskFailedException;
import java.io.NotSerializableException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's task bookkeeping, shared by every backend (local threads, fine- and coarse-grained
 * Mesos): a queue of pending tasks, the live attempt of each running one, retries up to
 * {@code maxFailures} preferring other agents, agent exclusion, and exactly-once results.
 *
 * <p>Two ways an attempt can end badly, counted apart (as Spark does for an {@code
 * ExecutorLostFailure} not caused by the application): {@link #failed} is the task's own failure
 * (it threw, Mesos refused or killed it, its container ran out of memory), which counts towards
 * {@code maxFailures} and towards excluding the agent; {@link #lost} is the loss of the executor
 * or agent it ran on (killed process, lost link, agent gone), which is not the task's fault: it
 * runs again without a failure counted and without blaming the agent. Losses have their own
 * bound, also {@code maxFailures}, so that a task that itself brings its executor down
 * ({@code System.exit}, a JVM crash) cannot relaunch executors forever.
 *
 * <p>All state is under one lock, held only for bookkeeping. Futures are completed and results
 * deserialized on the {@code callbacks} executor: never under the lock, never on a Netty thread,
 * so user callbacks cannot stall the scheduler or the link.
 */
public final class TaskScheduler {
  private static final Logger log = LoggerFactory.getLogger(TaskScheduler.class);
  /**
   * A task's or the job's final failure, which the caller also gets as a {@link TaskFailedException}:
   * a logger of its own, so that a console that prints the exception itself (ferry-shell) can leave
   * out the repeat.
   */
  public static final String FAILURES_LOGGER = TaskScheduler.class.getName() + ".failures";
  private static final Logger failures = LoggerFactory.getLogger(FAILURES_LOGGER);

  /** Retry and exclusion policy. */
  public record Policy(int maxFailures, int maxFailuresPerAgent, Duration excludeTimeout) {
    public Policy {
      if (maxFailures < 1) {
        throw new IllegalArgumentException("maxFailures: " + maxFailures + " (expected: >= 1)");
      }
      if (maxFailuresPerAgent < 1) {
        throw new IllegalArgumentException("maxFailuresPerAgent: " + maxFailuresPerAgent + " (expected: >= 1)");
      }
    }
  }

  /** What the scheduler asks of a backend. Called without the scheduler's lock held. */
  public interface Backend {
    /** Tasks became pending: offer them resources (revive, dispatch to free slots). */
    void workArrived();

    /** Stop this attempt: its task was cancelled. */
    void kill(Attempt attempt);
  }

  private final Policy policy;
  private final TaskSerializer serializer;
  private final GenerationSerializers serializers;
  private final Executor callbacks;
  private final AgentExclusion exclusion;
  private final AtomicLong ids = new AtomicLong();
  private final Object lock = new Object();
  private final ArrayDeque<TaskRecord> pending = new ArrayDeque<>();
  private final Map<Long, TaskRecord> active = new HashMap<>();
  private final Set<String> agentsSeen = new HashSet<>();
  /** Log lines decided under the lock, written after it is released ({@link #flushNotices}). */
  private final List<Runnable> notices = new ArrayList<>();
  private final ProgressCounter progress = new ProgressCounter();
  private volatile Backend backend = new Backend() {
    @Override
    public void workArrived() {}

    @Override
    public void kill(Attempt attempt) {}
  };
  private String closedReason;
  /** Set by {@link #abort}: the job failed as a whole; later submissions fail with this. */
  private String abortReason;

  public TaskScheduler(Policy policy, TaskSerializer serializer, Executor callbacks) {
    this(policy, serializer, ClassGenerations.NONE, callbacks);
  }

  /**
   * @param generations run-time classes (a shell's snippets): each task is stamped with the current
   *     generation when submitted and its result is read with that generation's loader
   */
  public TaskScheduler(Policy policy, TaskSerializer serializer, ClassGenerations generations, Executor callbacks) {
    this.policy = policy;
    this.serializer = serializer;
    this.serializers = new GenerationSerializers(serializer, generations);
    this.callbacks = callbacks;
    this.exclusion = new AgentExclusion(policy.maxFailuresPerAgent(), policy.excludeTimeout(), System::nanoTime);
  }

  /** What reads and writes tasks of {@code generation} in the driver's JVM (local mode runs them here). */
  public TaskSerializer serializer(long generation) {
    return serializers.forGeneration(generation);
  }

  /** The run-time classes tasks are stamped with (for serving them to executors). */
  public ClassGenerations classGenerations() {
    return serializers.generations();
  }

  public void attach(Backend backend) {
    this.backend = backend;
  }

  /**
   * Queues a task. Serializes it now, so a task that cannot be serialized fails here, in the
   * caller's thread, naming the class.
   */
  @SuppressWarnings("unchecked")
  public <R> TaskFuture<R> submit(Task<R> task, String name) {
    long id = ids.getAndIncrement();
    TaskFuture<Object> future = new TaskFuture<>(id);
    byte[] payload;
    try {
      payload = serializer.serialize(task);
    } catch (NotSerializableException e) {
      future.completeExceptionally(new IllegalArgumentException("task " + id + " (" + name
          + ") cannot be serialized: " + e.getMessage() + " is not Serializable (tasks and everything they"
          + " capture must be)", e));
      return (TaskFuture<R>) (TaskFuture<?>) future;
    }
    // Read after serializing: every class the task object uses was loaded (so captured) before it existed.
    TaskRecord record = new TaskRecord(id, name, payload, serializers.current(), future);
    future.onCancel(this::cancel);
    synchronized (lock) {
      if (closedReason != null) {
        future.completeExceptionally(new IllegalStateException("the Ferry context is closed: " + closedReason));
        return (TaskFuture<R>) (TaskFuture<?>) future;
      }
      if (abortReason != null) {
        future.completeExceptionally(new TaskFailedException(id, abortReason, ""));
        return (TaskFuture<R>) (TaskFuture<?>) future;
      }
      active.put(id, record);
      pending.addLast(record);
      progress.submitted();
    }
    backend.workArrived();
    return (TaskFuture<R>) (TaskFuture<?>) future;
  }

  public int pendingCount() {
    synchronized (lock) {
      return pending.size();
    }
  }

  /** Where the tasks stand now; lock-free, for displays that sample it. */
  public JobProgress progress() {
    return progress.current();
  }

  /** Tasks submitted and not yet done (pending or running). */
  public int activeCount() {
    synchronized (lock) {
      return active.size();
    }
  }

  /**
   * Whether tasks should avoid this agent now. An agent is only avoided while some other agent
   * that has shown up is not: excluding every agent would stall the job instead of failing it.
   */
  public boolean isExcluded(String agentId) {
    boolean excluded;
    synchronized (lock) {
      agentsSeen.add(agentId);
      excluded = excludedHere(agentId);
    }
    flushNotices();
    return excluded;
  }

  private boolean excludedHere(String agentId) {
    return exclusion.avoid(agentId, agentsSeen, notices);
  }

  /** Writes the log lines decided under the lock; called without it. */
  private void flushNotices() {
    List<Runnable> due;
    synchronized (lock) {
      if (notices.isEmpty()) {
        return;
      }
      due = new ArrayList<>(notices);
      notices.clear();
    }
    due.forEach(Runnable::run);
  }

  /**
   * Takes the next pending task that may run on this agent and makes it a live attempt.
   *
   * @param slotTaskId the coarse-mode slot task, or null in fine mode (a Mesos task id is made)
   */
  public Optional<Attempt> nextAttempt(String agentId, String executorId, String slotTaskId) {
    Optional<Attempt> next = takeNext(agentId, executorId, slotTaskId);
    flushNotices();
    return next;
  }

  private Optional<Attempt> takeNext(String agentId, String executorId, String slotTaskId) {
    synchronized (lock) {
      agentsSeen.add(agentId);
      if (excludedHere(agentId)) {
        return Optional.empty();
      }
      Iterator<TaskRecord> it = pending.iterator();
      while (it.hasNext()) {
        TaskRecord task = it.next();
        // After a failure prefer another agent, unless this is the only one that has shown up.
        if (task.failedAgents().contains(agentId) && task.failedAgents().size() < agentsSeen.size()) {
          continue;
        }
        it.remove();
        int number = task.attempts++;
        String mesosTaskId = slotTaskId != null ? slotTaskId : "ferry-task-" + task.id() + "-" + number;
        Attempt attempt = new Attempt(task, number, agentId, executorId, mesosTaskId);
        task.state = TaskRecord.State.RUNNING;
        task.live = attempt;
        progress.started();
        return Optional.of(attempt);
      }
      return Optional.empty();
    }
  }

  /** Puts an attempt that never started (launch refused, offer rescinded) back, without a failure. */
  public void unlaunched(Attempt attempt) {
    boolean requeued = false;
    synchronized (lock) {
      TaskRecord task = attempt.task();
      if (task.live == attempt) {
        task.live = null;
        task.attempts--;
        task.state = TaskRecord.State.PENDING;
        pending.addFirst(task);
        progress.unlaunched();
        requeued = true;
      }
    }
    if (requeued) {
      backend.workArrived();
    }
  }

  /** The live attempt's result arrived. Returns false for a stale or duplicate outcome. */
  public boolean succeeded(Attempt attempt, byte[] value) {
    return succeededAll(List.of(new Success(attempt, value))) == 1;
  }

  /** A successful attempt's result, for {@link #succeededAll}. */
  public record Success(Attempt attempt, byte[] value) {}

  /**
   * Results that arrived together (one read from an executor's connection): taken under one
   * acquisition of the lock, and their futures completed by one task on the {@code callbacks}
   * executor, in order. Per result, a lock and a hand-off to the results thread (and its wake-up)
   * were much of the driver's cost per task at high rates (see BENCHMARKS.md, throughput).
   * Stale or duplicate outcomes are dropped, as in {@link #succeeded}. Returns how many counted.
   */
  public int succeededAll(List<Success> results) {
    List<Success> accepted = new ArrayList<>(results.size());
    synchronized (lock) {
      for (Success r : results) {
        TaskRecord task = r.attempt().task();
        if (task.live != r.attempt()) {
          continue;
        }
        task.live = null;
        task.state = TaskRecord.State.DONE;
        active.remove(task.id());
        progress.succeeded();
        exclusion.succeeded(r.attempt().agentId());
        accepted.add(r);
      }
    }
    if (accepted.isEmpty()) {
      return 0;
    }
    for (Success r : accepted) {
      r.attempt().task().future().attemptStarted(r.attempt().startNanos());
    }
    callbacks.execute(() -> accepted.forEach(this::complete));
    return accepted.size();
  }

  /** On the callbacks executor: reads the result with the task's class generation and completes its future. */
  private void complete(Success r) {
    TaskRecord task = r.attempt().task();
    try {
      task.future().complete(serializers.forGeneration(task.classGeneration()).deserialize(r.value()));
    } catch (Exception | LinkageError e) {
      task.future().completeExceptionally(new TaskFailedException(task.id(), "task " + task.id() + " (" + task.name()
          + ") succeeded but its result cannot be read on the driver: " + e, ""));
    }
  }

  /**
   * The live attempt failed on its own account: the task threw, Mesos refused or killed it, or its
   * container hit a limit. It runs again (elsewhere if possible) until it has failed
   * {@code maxFailures} times; the failure counts towards excluding the agent.
   */
  public boolean failed(Attempt attempt, String cause, String stackTrace) {
    return ended(attempt, cause, stackTrace, false);
  }

  /**
   * The live attempt was cut off because its executor or agent was lost (the process was killed or
   * crashed, the link or the agent went away). Not a task failure: it runs again, on any agent,
   * without counting towards {@code maxFailures} or the agent's exclusion; only {@code maxFailures}
   * such losses for one task end it (a task that kills its own executor must not loop forever).
   */
  public boolean lost(Attempt attempt, String cause) {
    return ended(attempt, cause, "", true);
  }

  private boolean ended(Attempt attempt, String cause, String stackTrace, boolean executorLost) {
    TaskRecord task = attempt.task();
    boolean retry;
    int count;
    boolean newlyExcluded = false;
    boolean excludedNow = false;
    synchronized (lock) {
      if (task.live != attempt) {
        return false;
      }
      task.live = null;
      task.lastFailure = cause;
      task.lastStackTrace = stackTrace == null ? "" : stackTrace;
      if (executorLost) {
        count = ++task.executorLosses;
      } else {
        count = ++task.failures;
        task.failedAgents().add(attempt.agentId());
        newlyExcluded = exclusion.failed(attempt.agentId());
        excludedNow = newlyExcluded && excludedHere(attempt.agentId());
      }
      retry = count < policy.maxFailures() && closedReason == null;
      progress.attemptEnded(executorLost, !retry);
      if (retry) {
        task.state = TaskRecord.State.PENDING;
        pending.addLast(task);
      } else {
        task.state = TaskRecord.State.DONE;
        active.remove(task.id());
      }
    }
    flushNotices();
    if (newlyExcluded && !excludedNow) {
      log.warn("agent {}: {} task failures in a row there, but it stays in use: no other agent is usable"
          + " (excluding every agent would stall the job)", attempt.agentId(), policy.maxFailuresPerAgent());
    }
    if (retry) {
      if (executorLost) {
        log.info("task {} ({}) attempt {} was cut off on {}: {}; running it again (executor losses are not"
            + " task failures: {} of at most {} for this task)", task.id(), task.name(), attempt.number(),
            attempt.executorId(), cause, count, policy.maxFailures());
      } else {
        log.info("task {} ({}) attempt {} failed on {}: {}; retrying ({} of {} failures)", task.id(), task.name(),
            attempt.number(), attempt.executorId(), cause, count, policy.maxFailures());
      }
      backend.workArrived();
    } else {
      String message = "task " + task.id() + " (" + task.name() + ") "
          + (executorLost ? "lost " + count + (count == 1 ? " executor" : " executors") + " while running"
              + " (it may be what brings them down: System.exit, a JVM crash, memory)"
              : "failed " + count + (count == 1 ? " time" : " times"))
          + "; the last " + (executorLost ? "loss" : "failure") + ", on executor " + attempt.executorId()
          + " (agent " + attempt.agentId() + "): " + cause;
      failures.error(message);
      String trace = task.lastStackTrace;
      callbacks.execute(() -> task.future().completeExceptionally(new TaskFailedException(task.id(), message, trace,
          attempt.executorId(), attempt.agentId())));
    }
    return true;
  }

  private void cancel(long taskId) {
    Attempt running = null;
    synchronized (lock) {
      TaskRecord task = active.remove(taskId);
      if (task == null) {
        return;
      }
      if (task.state == TaskRecord.State.PENDING) {
        pending.remove(task);
      } else if (task.state == TaskRecord.State.RUNNING) {
        running = task.live;
        task.live = null;
      }
      progress.ended(task.state == TaskRecord.State.RUNNING, false);
      task.state = TaskRecord.State.DONE;
    }
    if (running != null) {
      log.info("task {} cancelled: killing {}", taskId, running);
      backend.kill(running);
    }
  }

  /**
   * Fails the job: every task not yet done fails with {@code reason} (a {@link TaskFailedException}),
   * running attempts are killed, and later submissions fail at once the same way. For a cause that
   * retries cannot cure, e.g. an executor archive that every agent will fail to start. Returns false
   * if the job was already failed or closed (only the first reason is reported).
   */
  public boolean abort(String reason) {
    List<TaskRecord> unfinished;
    List<Attempt> running = new ArrayList<>();
    synchronized (lock) {
      if (closedReason != null || abortReason != null) {
        return false;
      }
      abortReason = reason;
      unfinished = new ArrayList<>(active.values());
      active.clear();
      pending.clear();
      for (TaskRecord t : unfinished) {
        if (t.live != null) {
          running.add(t.live);
        }
        progress.ended(t.state == TaskRecord.State.RUNNING, true);
        t.state = TaskRecord.State.DONE;
        t.live = null;
      }
    }
    failures.error(reason);
    for (TaskRecord t : unfinished) {
      callbacks.execute(() -> t.future().completeExceptionally(new TaskFailedException(t.id(), reason, "")));
    }
    running.forEach(backend::kill);
    return true;
  }

  /** Fails every task not yet done; later submissions fail at once. */
  public void close(String reason) {
    List<TaskRecord> unfinished;
    synchronized (lock) {
      closedReason = reason;
      unfinished = new ArrayList<>(active.values());
      active.clear();
      pending.clear();
      unfinished.forEach(t -> {
        progress.ended(t.state == TaskRecord.State.RUNNING, false);
        t.state = TaskRecord.State.DONE;
        t.live = null;
      });
    }
    for (TaskRecord t : unfinished) {
      callbacks.execute(() -> t.future().completeExceptionally(
          new CancellationException("the Ferry context closed before task " + t.id() + " finished: " + reason)));
    }
  }
}
