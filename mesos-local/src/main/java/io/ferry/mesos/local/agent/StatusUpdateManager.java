package io.ferry.mesos.local.agent;

import com.google.protobuf.ByteString;
import io.ferry.mesos.local.Timers;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * The agent's status update streams, one per task, as Mesos's agent keeps them: a FIFO with only
 * its head in flight to the scheduler; the head is sent again after 10 s, then 20 s, doubling up
 * to 10 min, until the scheduler acknowledges that uuid; then the next update goes. The terminal
 * update's acknowledgement deletes the stream. While the agent is cut off from the master,
 * sending pauses (retries included) and resumes on reregistration.
 *
 * <p>Executor updates are deduplicated by uuid (a repeat is acknowledged to the executor again,
 * not forwarded), and after a terminal update any further update for the task is dropped though
 * still acknowledged.
 *
 * <p>Confined to the agent's thread.
 */
public final class StatusUpdateManager {

  /** Default first retry interval and its cap. */
  public static final Duration INITIAL_RETRY = Duration.ofSeconds(10);
  public static final Duration MAX_RETRY = Duration.ofMinutes(10);

  /** Sends an update towards the master. */
  public interface Forwarder {
    void forward(String frameworkId, TaskStatus status);
  }

  /** What became of an update handed to {@link #update}. In every case the executor gets its ACK. */
  public enum Outcome {
    /** Queued on the task's stream (and sent if it is the head). */
    QUEUED,
    /** The same uuid was seen before: not forwarded again. */
    DUPLICATE,
    /** The task already had a terminal update: dropped. */
    DROPPED
  }

  private record Key(String frameworkId, String taskId) {}

  private final class Stream {
    final Key key;
    final ArrayDeque<TaskStatus> pending = new ArrayDeque<>();
    final Set<ByteString> seen = new HashSet<>();
    boolean terminalReceived;
    boolean inFlight;
    Duration backoff = initialRetry;
    Timers.Cancellable retry;

    Stream(Key key) {
      this.key = key;
    }
  }

  private final Timers timers;
  private final Forwarder forwarder;
  private final Duration initialRetry;
  private final Duration maxRetry;
  private final Map<Key, Stream> streams = new LinkedHashMap<>();
  private boolean paused;

  public StatusUpdateManager(Timers timers, Forwarder forwarder, Duration initialRetry, Duration maxRetry) {
    if (initialRetry.isNegative() || initialRetry.isZero()) {
      throw new IllegalArgumentException("initialRetry: " + initialRetry + " (expected: > 0)");
    }
    if (maxRetry.compareTo(initialRetry) < 0) {
      throw new IllegalArgumentException("maxRetry: " + maxRetry + " (expected: >= initialRetry " + initialRetry + ")");
    }
    this.timers = timers;
    this.forwarder = forwarder;
    this.initialRetry = initialRetry;
    this.maxRetry = maxRetry;
  }

  /** An update from an executor or made by the agent, already persisted when checkpointing. */
  public Outcome update(String frameworkId, TaskStatus status) {
    Key key = new Key(frameworkId, status.getTaskId().getValue());
    Stream stream = streams.computeIfAbsent(key, Stream::new);
    if (status.hasUuid() && stream.seen.contains(status.getUuid())) {
      return Outcome.DUPLICATE;
    }
    if (stream.terminalReceived) {
      return Outcome.DROPPED;
    }
    if (status.hasUuid()) {
      stream.seen.add(status.getUuid());
    }
    stream.terminalReceived = isTerminal(status.getState());
    stream.pending.addLast(status);
    if (!stream.inFlight) {
      sendHead(stream);
    }
    return Outcome.QUEUED;
  }

  /**
   * The scheduler acknowledged {@code uuid}: the head moves on if it matches. Returns whether that
   * was the task's terminal update (its stream is then gone).
   */
  public boolean acknowledged(String frameworkId, TaskID taskId, ByteString uuid) {
    Stream stream = streams.get(new Key(frameworkId, taskId.getValue()));
    if (stream == null || !stream.inFlight || stream.pending.isEmpty() || !stream.pending.peekFirst().getUuid().equals(uuid)) {
      return false;
    }
    cancelRetry(stream);
    TaskStatus acked = stream.pending.pollFirst();
    stream.inFlight = false;
    stream.backoff = initialRetry;
    if (isTerminal(acked.getState())) {
      streams.remove(stream.key);
      return true;
    }
    if (!stream.pending.isEmpty()) {
      sendHead(stream);
    }
    return false;
  }

  /** The agent lost its master: nothing is sent until {@link #resume}. */
  public void pause() {
    paused = true;
    for (Stream s : streams.values()) {
      cancelRetry(s);
      s.inFlight = false;
    }
  }

  /** Reregistered: every stream's head goes again. */
  public void resume() {
    paused = false;
    for (Stream s : streams.values()) {
      if (!s.pending.isEmpty() && !s.inFlight) {
        sendHead(s);
      }
    }
  }

  /** Whether the task has an update not yet acknowledged by the scheduler. */
  public boolean hasPending(String frameworkId, String taskId) {
    Stream s = streams.get(new Key(frameworkId, taskId));
    return s != null && !s.pending.isEmpty();
  }

  /** The IDs of the tasks with an update not yet acknowledged by the scheduler. */
  public Set<String> pendingTaskIds() {
    Set<String> out = new HashSet<>();
    streams.values().forEach(s -> {
      if (!s.pending.isEmpty()) {
        out.add(s.key.taskId);
      }
    });
    return out;
  }

  /** Whether any update was ever received for the task (its stream exists). */
  public boolean hasAny(String frameworkId, String taskId) {
    return streams.containsKey(new Key(frameworkId, taskId));
  }

  /** Whether a terminal update was received for the task (acknowledged or not). */
  public boolean terminalReceived(String frameworkId, String taskId) {
    Stream s = streams.get(new Key(frameworkId, taskId));
    return s != null && s.terminalReceived;
  }

  /** The framework was removed: its streams go. */
  public void removeFramework(String frameworkId) {
    streams.values().removeIf(s -> {
      if (s.key.frameworkId.equals(frameworkId)) {
        cancelRetry(s);
        return true;
      }
      return false;
    });
  }

  private void sendHead(Stream stream) {
    if (paused || stream.pending.isEmpty()) {
      return;
    }
    stream.inFlight = true;
    forwarder.forward(stream.key.frameworkId, stream.pending.peekFirst());
    Duration wait = stream.backoff;
    stream.backoff = min(stream.backoff.multipliedBy(2), maxRetry);
    stream.retry = timers.schedule(wait, () -> {
      stream.retry = null;
      stream.inFlight = false;
      sendHead(stream);
    });
  }

  private static void cancelRetry(Stream s) {
    if (s.retry != null) {
      s.retry.cancel();
      s.retry = null;
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  static boolean isTerminal(TaskState state) {
    return switch (state) {
      case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_ERROR, TASK_LOST, TASK_DROPPED, TASK_GONE,
          TASK_GONE_BY_OPERATOR -> true;
      default -> false;
    };
  }
}
