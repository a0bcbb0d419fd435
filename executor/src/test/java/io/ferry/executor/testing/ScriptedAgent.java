package io.ferry.executor.testing;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ferry.mesos.ContentType;
import io.ferry.mesos.MesosUuids;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * A Mesos agent's executor endpoint that a test scripts at the raw HTTP level, on a real server
 * on loopback port 0: it answers SUBSCRIBE as told (200 with a RecordIO stream, or a status), sends
 * the events the test gives it, can split the stream at every byte, ends the stream on demand (an
 * agent restart), ACKs updates automatically or when told, and records every call, noting each
 * UPDATE the real agent would refuse, drop or not forward (the digest's edge cases 11 and 12).
 */
public final class ScriptedAgent implements AutoCloseable {
  public static final FrameworkID FRAMEWORK = FrameworkID.newBuilder().setValue("fw-1").build();

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "scripted-agent");
    t.setDaemon(true);
    return t;
  });
  public final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
  public final List<Call> seen = new CopyOnWriteArrayList<>();
  private final List<Call> skipped = new java.util.ArrayList<>(); // the test's thread only
  /** What the real agent would have refused, dropped or not forwarded, in words. */
  public final List<String> violations = new CopyOnWriteArrayList<>();
  /** Answers for the next SUBSCRIBEs (then 200). */
  public final ConcurrentLinkedDeque<Integer> subscribeAnswers = new ConcurrentLinkedDeque<>();
  /** Answer every SUBSCRIBE with this status (0: use {@link #subscribeAnswers}, then 200). */
  public volatile int alwaysAnswer;
  public volatile String requiredToken;
  public volatile boolean autoAck = true;
  public volatile boolean byteByByte;
  public volatile FrameworkInfo framework = FrameworkInfo.newBuilder().setId(FRAMEWORK).setUser("test")
      .setName("scripted").build();
  public volatile ExecutorInfo executorInfo = ExecutorInfo.getDefaultInstance();
  private volatile Stream stream;
  private final Set<ByteString> uuids = ConcurrentHashMap.newKeySet();
  private final Map<TaskID, TaskState> terminal = new ConcurrentHashMap<>();

  private ScriptedAgent(HttpServer server) {
    this.server = server;
  }

  public static ScriptedAgent start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ScriptedAgent agent = new ScriptedAgent(server);
    server.createContext("/api/v1/executor", agent::handle);
    server.setExecutor(agent.threads);
    server.start();
    return agent;
  }

  public String endpoint() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** The environment an agent gives executor {@code executorId}. */
  public Map<String, String> environment(String executorId, boolean checkpoint) {
    Map<String, String> env = new HashMap<>();
    env.put("MESOS_FRAMEWORK_ID", FRAMEWORK.getValue());
    env.put("MESOS_EXECUTOR_ID", executorId);
    env.put("MESOS_AGENT_ENDPOINT", endpoint());
    env.put("MESOS_SLAVE_ID", "agent-1");
    env.put("MESOS_CHECKPOINT", checkpoint ? "1" : "0");
    if (checkpoint) {
      env.put("MESOS_RECOVERY_TIMEOUT", "30secs");
      env.put("MESOS_SUBSCRIPTION_BACKOFF_MAX", "100ms");
    }
    env.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "5secs");
    env.put("PATH", "/usr/bin:/bin");
    return env;
  }

  /**
   * The oldest call not taken yet that matches, waiting up to {@code timeout}; calls that do not
   * match stay for later (updates of different tasks may come in any order).
   */
  public Call nextCall(Duration timeout, Predicate<Call> which) throws InterruptedException {
    for (java.util.Iterator<Call> it = skipped.iterator(); it.hasNext(); ) {
      Call c = it.next();
      if (which.test(c)) {
        it.remove();
        return c;
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Call c = left > 0 ? calls.poll(left, TimeUnit.NANOSECONDS) : null;
      if (c == null) {
        throw new AssertionError("no matching call within " + timeout + "; seen: "
            + seen.stream().map(ScriptedAgent::describe).toList());
      }
      if (which.test(c)) {
        return c;
      }
      skipped.add(c);
    }
  }

  public Call nextSubscribe(Duration timeout) throws InterruptedException {
    return nextCall(timeout, c -> c.getType() == Call.Type.SUBSCRIBE);
  }

  public TaskStatus nextUpdate(Duration timeout, String taskId, TaskState state) throws InterruptedException {
    return nextCall(timeout, c -> c.getType() == Call.Type.UPDATE
        && c.getUpdate().getStatus().getTaskId().getValue().equals(taskId)
        && c.getUpdate().getStatus().getState() == state).getUpdate().getStatus();
  }

  /** Every update the executor sent for {@code taskId}, in order. */
  public List<TaskStatus> updates(String taskId) {
    return seen.stream().filter(c -> c.getType() == Call.Type.UPDATE)
        .map(c -> c.getUpdate().getStatus()).filter(s -> s.getTaskId().getValue().equals(taskId)).toList();
  }

  public static TaskInfo task(String id, String script) {
    return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
        .setAgentId(AgentID.newBuilder().setValue("agent-1")).setData(ByteString.copyFromUtf8(script)).build();
  }

  public void launch(TaskInfo task) {
    send(Event.newBuilder().setType(Event.Type.LAUNCH).setLaunch(Event.Launch.newBuilder().setTask(task)).build());
  }

  public void kill(String taskId) {
    send(Event.newBuilder().setType(Event.Type.KILL)
        .setKill(Event.Kill.newBuilder().setTaskId(TaskID.newBuilder().setValue(taskId))).build());
  }

  public void ack(TaskStatus status) {
    send(Event.newBuilder().setType(Event.Type.ACKNOWLEDGED).setAcknowledged(Event.Acknowledged.newBuilder()
        .setTaskId(status.getTaskId()).setUuid(status.getUuid())).build());
  }

  /** Writes an event on the current stream. */
  public void send(Event event) {
    Stream s = stream;
    if (s == null) {
      throw new IllegalStateException("no stream open");
    }
    s.queue.add(event);
  }

  /** Ends the current stream, as a restarting agent does. */
  public void closeStream() {
    Stream s = stream;
    if (s != null) {
      s.queue.add(Stream.END);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (requiredToken != null && !("Bearer " + requiredToken).equals(auth)) {
        answer(exchange, 401, "Unauthorized");
        return;
      }
      String type = exchange.getRequestHeaders().getFirst("Content-Type");
      ContentType contentType = "application/json".equals(type) ? ContentType.JSON : ContentType.PROTOBUF;
      Call call = contentType.decode(body, Call.newBuilder());
      if (!call.getFrameworkId().equals(FRAMEWORK) || !call.hasExecutorId()) {
        violations.add("call without the framework and executor ids: " + describe(call));
      }
      if (call.getType() == Call.Type.SUBSCRIBE) {
        subscribe(exchange, call);
        return;
      }
      seen.add(call);
      if (call.getType() == Call.Type.UPDATE) {
        int status = checkUpdate(call);
        answer(exchange, status, status == 202 ? "" : "Not a valid update");
        calls.add(call);
        if (status == 202 && autoAck && stream != null) {
          ack(call.getUpdate().getStatus());
        }
        return;
      }
      answer(exchange, 202, "");
      calls.add(call);
    } finally {
      exchange.close();
    }
  }

  private int checkUpdate(Call call) {
    TaskStatus s = call.getUpdate().getStatus();
    String what = s.getState() + " of " + s.getTaskId().getValue();
    int status = 202;
    if (!MesosUuids.isValid(s.getUuid())) {
      violations.add(what + ": not a valid uuid (400)");
      status = 400;
    }
    if (s.getSource() != TaskStatus.Source.SOURCE_EXECUTOR) {
      violations.add(what + ": source " + s.getSource() + " (400)");
      status = 400;
    }
    if (s.getState() == TaskState.TASK_STAGING) {
      violations.add(what + ": TASK_STAGING (400)");
      status = 400;
    }
    if (s.hasExecutorId() && !s.getExecutorId().equals(call.getExecutorId())) {
      violations.add(what + ": another executor's id (400)");
      status = 400;
    }
    if (s.hasAgentId()) {
      violations.add(what + ": sets agent_id (a wrong one is never ACKed)");
    }
    if (!uuids.add(s.getUuid())) {
      violations.add(what + ": a uuid used before (resent or reused)");
    }
    TaskState before = terminal.get(s.getTaskId());
    if (before != null) {
      violations.add(what + ": a second terminal update after " + before + " (dropped)");
    } else if (isTerminal(s.getState())) {
      terminal.put(s.getTaskId(), s.getState());
    }
    return status;
  }

  private void subscribe(HttpExchange exchange, Call call) throws IOException {
    Integer scripted = alwaysAnswer != 0 ? Integer.valueOf(alwaysAnswer) : subscribeAnswers.poll();
    if (scripted != null && scripted != 200) {
      seen.add(call);
      calls.add(call);
      answer(exchange, scripted, scripted == 503 ? "Agent has not finished recovery" : "scripted " + scripted);
      return;
    }
    Stream previous = stream;
    Stream s = new Stream();
    stream = s;
    if (previous != null) {
      previous.queue.add(Stream.END); // a repeat SUBSCRIBE replaces the old stream
    }
    exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    Event subscribed = Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
        .setExecutorInfo(executorInfo.toBuilder().setExecutorId(call.getExecutorId()))
        .setFrameworkInfo(framework)
        .setAgentInfo(AgentInfo.newBuilder().setHostname("localhost").setId(AgentID.newBuilder().setValue("agent-1")))
    ).build();
    write(out, subscribed);
    seen.add(call);
    calls.add(call);
    try {
      while (true) {
        Object next = s.queue.take();
        if (next == Stream.END) {
          return;
        }
        write(out, (Event) next);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the executor went away
    }
  }

  private void write(OutputStream out, Event event) throws IOException {
    byte[] record = ContentType.PROTOBUF.encode(event);
    byte[] length = (record.length + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[length.length + record.length];
    System.arraycopy(length, 0, all, 0, length.length);
    System.arraycopy(record, 0, all, length.length, record.length);
    if (byteByByte) {
      for (byte b : all) {
        out.write(b);
        out.flush();
      }
    } else {
      out.write(all);
      out.flush();
    }
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }

  static boolean isTerminal(TaskState state) {
    return switch (state) {
      case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_ERROR, TASK_LOST, TASK_DROPPED, TASK_GONE -> true;
      default -> false;
    };
  }

  static String describe(Call c) {
    return c.getType() == Call.Type.UPDATE ? "UPDATE " + c.getUpdate().getStatus().getTaskId().getValue() + " "
        + c.getUpdate().getStatus().getState() : c.getType().toString();
  }

  @Override
  public void close() {
    closeStream();
    server.stop(0);
    threads.shutdownNow();
  }

  private static final class Stream {
    static final Object END = new Object();
    final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  }
}
