package io.ferry.mesos.local.e2e;

import io.ferry.mesos.ContentType;
import io.ferry.mesos.MesosUuids;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * The executor side of a checkpointing framework, played in-process over raw HTTP for a placeholder
 * process the agent started: it answers every LAUNCH with RUNNING then FINISHED, and, when its
 * stream ends (the agent restarted), subscribes again as Mesos's executor library does, carrying
 * its unacknowledged tasks and updates, retrying while the agent answers 503 or is not listening. An
 * UPDATE the agent did not acknowledge (refused with 503 because it went down meanwhile) goes again
 * with that resubscription, never in a loop of its own that would keep the executor from
 * resubscribing.
 * Runs on a thread of its own until {@link #close}.
 */
final class ResubscribingExecutor implements AutoCloseable {

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final URI endpoint;
  private final FrameworkID framework;
  private final ExecutorID executor;
  /** Launched tasks whose terminal update is not acknowledged yet, by task ID. */
  private final Map<String, TaskInfo> unacknowledgedTasks = new LinkedHashMap<>();
  /** Updates sent and not acknowledged yet, by uuid. */
  private final Map<com.google.protobuf.ByteString, Call.Update> unacknowledgedUpdates = new LinkedHashMap<>();
  /** Every LAUNCH received, for the test. */
  final List<String> launched = new CopyOnWriteArrayList<>();
  /** How many times it subscribed (the first time included). */
  volatile int subscriptions;
  private final Thread thread;
  private volatile boolean closed;
  private volatile InputStream body;
  volatile Throwable failure;
  /** Requests the agent never answered (each after the 1 s timeout): a connection left hanging. */
  final List<String> unanswered = new CopyOnWriteArrayList<>();
  /** What it did lately (subscriptions and their answers), for a failing test's message. */
  private final java.util.Deque<String> trace = new java.util.concurrent.ConcurrentLinkedDeque<>();

  ResubscribingExecutor(String agentAddress, FrameworkID framework, ExecutorID executor) {
    this.endpoint = URI.create("http://" + agentAddress + "/api/v1/executor");
    this.framework = framework;
    this.executor = executor;
    this.thread = new Thread(this::run, "resubscribing-executor-" + executor.getValue());
    this.thread.setDaemon(true);
  }

  ResubscribingExecutor start() {
    thread.start();
    return this;
  }

  private void run() {
    try {
      while (!closed) {
        InputStream stream = subscribe();
        if (stream == null) {
          LockSupport.parkNanos(10_000_000L);
          continue;
        }
        subscriptions++;
        body = stream;
        RecordIoReader reader = new RecordIoReader(stream);
        try {
          for (byte[] record; !closed && (record = reader.next()) != null; ) {
            handle(ContentType.JSON.decode(record, Event.newBuilder()));
          }
        } catch (java.io.IOException streamBroke) {
          // The agent went away: subscribe again.
          note("stream broke: " + streamBroke);
        }
        note("stream ended");
      }
    } catch (Throwable t) {
      if (!closed) {
        failure = t;
      }
    }
  }

  /** One SUBSCRIBE; the event stream on 200, null on anything else (503, 400 while unknown, refused). */
  private InputStream subscribe() throws InterruptedException {
    Call.Subscribe.Builder subscribe = Call.Subscribe.newBuilder();
    synchronized (this) {
      subscribe.addAllUnacknowledgedTasks(unacknowledgedTasks.values());
      subscribe.addAllUnacknowledgedUpdates(unacknowledgedUpdates.values());
    }
    try {
      // A short timeout: a connection the agent accepted just as it went down may never be answered.
      HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(1))
          .header("Content-Type", "application/json").header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(ContentType.JSON.encode(
              callOf(Call.Type.SUBSCRIBE).setSubscribe(subscribe).build()))).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      note("SUBSCRIBE " + r.statusCode());
      if (r.statusCode() == 200) {
        return r.body();
      }
      r.body().close();
      return null;
    } catch (java.net.http.HttpTimeoutException hanging) {
      note("SUBSCRIBE unanswered: " + hanging);
      unanswered.add("SUBSCRIBE");
      return null;
    } catch (java.io.IOException notListening) {
      note("SUBSCRIBE failed: " + notListening);
      return null;
    }
  }

  private void handle(Event event) throws Exception {
    switch (event.getType()) {
      case LAUNCH -> {
        TaskInfo task = event.getLaunch().getTask();
        launched.add(task.getTaskId().getValue());
        note("LAUNCH " + task.getTaskId().getValue());
        synchronized (this) {
          unacknowledgedTasks.put(task.getTaskId().getValue(), task);
        }
        send(task, TaskState.TASK_RUNNING);
        send(task, TaskState.TASK_FINISHED);
      }
      case ACKNOWLEDGED -> {
        synchronized (this) {
          Call.Update acked = unacknowledgedUpdates.remove(event.getAcknowledged().getUuid());
          if (acked != null && acked.getStatus().getState() == TaskState.TASK_FINISHED) {
            unacknowledgedTasks.remove(acked.getStatus().getTaskId().getValue());
          }
        }
      }
      default -> { }
    }
  }

  /** An UPDATE, kept as unacknowledged until the agent says ACKNOWLEDGED. */
  private void send(TaskInfo task, TaskState state) throws Exception {
    Call.Update update = Call.Update.newBuilder().setStatus(TaskStatus.newBuilder().setTaskId(task.getTaskId())
        .setState(state).setSource(TaskStatus.Source.SOURCE_EXECUTOR).setUuid(MesosUuids.random())
        .setExecutorId(executor)).build();
    synchronized (this) {
      unacknowledgedUpdates.put(update.getStatus().getUuid(), update);
    }
    try {
      http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(1))
          .header("Content-Type", "application/x-protobuf")
          .POST(HttpRequest.BodyPublishers.ofByteArray(ContentType.PROTOBUF.encode(
              callOf(Call.Type.UPDATE).setUpdate(update).build()))).build(), HttpResponse.BodyHandlers.discarding());
    } catch (java.net.http.HttpTimeoutException hanging) {
      note("UPDATE unanswered: " + hanging);
      unanswered.add("UPDATE " + state + " of " + task.getTaskId().getValue());
    } catch (java.io.IOException agentGone) {
      // Not accepted: sent again with the resubscription.
    }
  }

  private void note(String what) {
    trace.addLast(System.currentTimeMillis() % 100_000 + " " + what);
    while (trace.size() > 30) {
      trace.pollFirst();
    }
  }

  /** The last things it did, oldest first. */
  String trace() {
    return String.join("; ", trace) + (failure == null ? "" : "; failed: " + failure);
  }

  private Call.Builder callOf(Call.Type type) {
    return Call.newBuilder().setType(type).setFrameworkId(framework).setExecutorId(executor);
  }

  @Override
  public void close() throws Exception {
    closed = true;
    InputStream b = body;
    if (b != null) {
      b.close();
    }
    thread.interrupt();
    thread.join(5_000);
  }
}
