package io.ferry.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ferry.mesos.ContentType;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * The agent side of Mesos's v1 executor HTTP API, scripted for one executor on loopback port 0:
 * SUBSCRIBE gets SUBSCRIBED and at once a LAUNCH of the given task (as a real agent sends the
 * task it queued for a starting executor); every UPDATE is answered 202 and ACKNOWLEDGED on the
 * stream. It notes, with {@link System#nanoTime()}, when SUBSCRIBE and each task state arrived.
 */
final class LoopbackAgent implements AutoCloseable {
  static final FrameworkID FRAMEWORK = FrameworkID.newBuilder().setValue("bench-framework").build();

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "bench-agent-http");
    t.setDaemon(true);
    return t;
  });
  private final TaskInfo task;
  private final BlockingQueue<Object> stream = new LinkedBlockingQueue<>();
  private final Map<TaskState, Long> updates = new ConcurrentHashMap<>();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile long subscribedAt;
  private static final Object END = new Object();

  private LoopbackAgent(HttpServer server, TaskInfo task) {
    this.server = server;
    this.task = task;
  }

  static LoopbackAgent start(TaskInfo task) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    LoopbackAgent agent = new LoopbackAgent(server, task);
    server.createContext("/api/v1/executor", agent::handle);
    server.setExecutor(agent.threads);
    server.start();
    return agent;
  }

  /** The variables a Mesos agent sets for executor {@code executorId}. */
  Map<String, String> environment(String executorId, String sandbox) {
    return Map.of(
        "MESOS_FRAMEWORK_ID", FRAMEWORK.getValue(),
        "MESOS_EXECUTOR_ID", executorId,
        "MESOS_AGENT_ENDPOINT", "127.0.0.1:" + server.getAddress().getPort(),
        "MESOS_SLAVE_ID", "bench-agent",
        "MESOS_CHECKPOINT", "0",
        "MESOS_SANDBOX", sandbox,
        "MESOS_DIRECTORY", sandbox,
        "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "5secs");
  }

  /** {@code System.nanoTime()} when SUBSCRIBE arrived, or 0. */
  long subscribedAt() {
    return subscribedAt;
  }

  /** {@code System.nanoTime()} when the first update of this state arrived, or 0. */
  long updateAt(TaskState state) {
    return updates.getOrDefault(state, 0L);
  }

  boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
    return finished.await(timeout, unit);
  }

  /** Asks the executor to shut down (SHUTDOWN event), as an agent does when the framework ends. */
  void shutdown() {
    stream.add(Event.newBuilder().setType(Event.Type.SHUTDOWN).build());
  }

  private void handle(HttpExchange exchange) throws IOException {
    long now = System.nanoTime();
    try {
      byte[] body = exchange.getRequestBody().readAllBytes();
      ContentType type = "application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"))
          ? ContentType.JSON : ContentType.PROTOBUF;
      Call call = type.decode(body, Call.newBuilder());
      switch (call.getType()) {
        case SUBSCRIBE -> {
          subscribedAt = now;
          subscribe(exchange, call.getExecutorId());
        }
        case UPDATE -> {
          TaskStatus status = call.getUpdate().getStatus();
          updates.putIfAbsent(status.getState(), now);
          exchange.sendResponseHeaders(202, -1);
          stream.add(Event.newBuilder().setType(Event.Type.ACKNOWLEDGED).setAcknowledged(Event.Acknowledged.newBuilder()
              .setTaskId(status.getTaskId()).setUuid(status.getUuid())).build());
          if (status.getState() != TaskState.TASK_RUNNING) {
            finished.countDown();
          }
        }
        default -> exchange.sendResponseHeaders(202, -1);
      }
    } finally {
      exchange.close();
    }
  }

  private void subscribe(HttpExchange exchange, ExecutorID executorId) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", ContentType.PROTOBUF.mediaType());
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    ExecutorInfo executor = ExecutorInfo.newBuilder().setExecutorId(executorId)
        .addResources(Resource.newBuilder().setName("cpus").setType(Value.Type.SCALAR)
            .setScalar(Value.Scalar.newBuilder().setValue(1)))
        .build();
    write(out, Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
        .setExecutorInfo(executor)
        .setFrameworkInfo(FrameworkInfo.newBuilder().setId(FRAMEWORK).setUser("bench").setName("bench"))
        .setAgentInfo(AgentInfo.newBuilder().setHostname("localhost").setId(AgentID.newBuilder().setValue("bench-agent"))))
        .build());
    write(out, Event.newBuilder().setType(Event.Type.LAUNCH).setLaunch(Event.Launch.newBuilder().setTask(task)).build());
    try {
      while (true) {
        Object next = stream.take();
        if (next == END) {
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

  private static void write(OutputStream out, Event event) throws IOException {
    byte[] record = ContentType.PROTOBUF.encode(event);
    out.write((record.length + "\n").getBytes(StandardCharsets.US_ASCII));
    out.write(record);
    out.flush();
  }

  @Override
  public void close() {
    stream.add(END);
    server.stop(0);
    threads.shutdownNow();
  }
}
