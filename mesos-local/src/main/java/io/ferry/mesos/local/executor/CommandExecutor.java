package io.ferry.mesos.local.executor;

import com.google.protobuf.ByteString;
import io.ferry.mesos.ContentType;
import io.ferry.mesos.MesosUuids;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * mesos-local's built-in command executor, the counterpart of Mesos's {@code mesos-executor} with
 * {@code MESOS_HTTP_COMMAND_EXECUTOR=1}: the agent starts it for a task that has a command and no
 * ExecutorInfo. It subscribes over the v1 executor API, runs the task's command ({@code /bin/sh -c}
 * unless {@code shell=false}) in the sandbox with the task's environment added to its own, and
 * reports {@code TASK_STARTING}, {@code TASK_RUNNING}, then {@code TASK_FINISHED}, or
 * {@code TASK_FAILED} with "Command exited with status N", or {@code TASK_KILLED}. KILL and
 * SHUTDOWN send SIGTERM, then SIGKILL after the kill policy's grace period (3 s by default).
 *
 * <p>Like {@code mesos-executor} over HTTP ({@code src/launcher/executor.cpp}), it exits on its
 * own once the agent acknowledged the task's terminal update, and with status 1 if that
 * acknowledgement has not come 60 s after the update was sent.
 */
public final class CommandExecutor {

  private static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(3);

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI endpoint;
  private final FrameworkID framework;
  private final ExecutorID executor;
  /** {@code MESOS_EXECUTOR_AUTHENTICATION_TOKEN}, sent as a bearer token when the agent issued one. */
  private final String token;
  /** Updates go out one at a time, in order. */
  private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> daemon(r, "command-executor-updates"));
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "command-executor-timers"));
  private volatile Process process;
  private volatile TaskID taskId;
  private volatile boolean killing;
  /** The uuid of the task's terminal update, once sent: its ACKNOWLEDGED ends this executor. */
  private volatile ByteString terminalUuid;

  private CommandExecutor(Map<String, String> env) {
    this.endpoint = URI.create("http://" + env.get("MESOS_AGENT_ENDPOINT") + "/api/v1/executor");
    this.framework = FrameworkID.newBuilder().setValue(env.get("MESOS_FRAMEWORK_ID")).build();
    this.executor = ExecutorID.newBuilder().setValue(env.get("MESOS_EXECUTOR_ID")).build();
    this.token = env.get("MESOS_EXECUTOR_AUTHENTICATION_TOKEN");
  }

  private HttpRequest.Builder post(byte[] body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).header("Content-Type", ContentType.PROTOBUF.mediaType())
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    if (env.get("MESOS_AGENT_ENDPOINT") == null || env.get("MESOS_FRAMEWORK_ID") == null) {
      System.err.println("command executor: not started by a Mesos agent (MESOS_AGENT_ENDPOINT is not set)");
      System.exit(1);
    }
    System.exit(new CommandExecutor(env).run());
  }

  private int run() throws Exception {
    Call subscribe = call(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.getDefaultInstance()).build();
    HttpResponse<InputStream> stream = http.send(post(ContentType.PROTOBUF.encode(subscribe))
        .header("Accept", ContentType.PROTOBUF.mediaType()).build(), HttpResponse.BodyHandlers.ofInputStream());
    if (stream.statusCode() != 200) {
      System.err.println("command executor: SUBSCRIBE answered " + stream.statusCode());
      return 1;
    }
    InputStream in = stream.body();
    for (byte[] record; (record = nextRecord(in)) != null; ) {
      Event event = ContentType.PROTOBUF.decode(record, Event.newBuilder());
      switch (event.getType()) {
        case LAUNCH -> launch(event.getLaunch().getTask());
        case KILL -> kill(event.getKill().hasKillPolicy() && event.getKill().getKillPolicy().hasGracePeriod()
            ? Duration.ofNanos(event.getKill().getKillPolicy().getGracePeriod().getNanoseconds()) : null);
        case SHUTDOWN -> {
          kill(null);
          awaitExit();
          return 0;
        }
        case ACKNOWLEDGED -> {
          if (event.getAcknowledged().getUuid().equals(terminalUuid)) {
            awaitExit();
            return 0;
          }
        }
        default -> { }
      }
    }
    // The agent went away: do not leave the command behind.
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
    }
    return 0;
  }

  private void launch(TaskInfo task) {
    taskId = task.getTaskId();
    CommandInfo command = task.getCommand();
    List<String> argv = CommandArgv.of(command);
    ProcessBuilder pb = new ProcessBuilder(argv).inheritIO();
    for (Environment.Variable v : command.getEnvironment().getVariablesList()) {
      pb.environment().put(v.getName(), v.getValue());
    }
    send(TaskState.TASK_STARTING, null);
    try {
      process = pb.start();
    } catch (IOException e) {
      terminalUuid = MesosUuids.random();
      send(TaskState.TASK_FAILED, "Failed to launch the command: " + e.getMessage(), terminalUuid);
      return;
    }
    send(TaskState.TASK_RUNNING, null);
    process.onExit().thenAccept(p -> {
      int code = p.exitValue();
      // The uuid is known before the update can be acknowledged.
      terminalUuid = MesosUuids.random();
      if (killing) {
        send(TaskState.TASK_KILLED, "Command terminated with signal " + (code > 128 ? "SIG" + (code - 128) : code),
            terminalUuid);
      } else if (code == 0) {
        send(TaskState.TASK_FINISHED, "Command exited with status 0", terminalUuid);
      } else {
        send(TaskState.TASK_FAILED, "Command exited with status " + code, terminalUuid);
      }
      timers.schedule(() -> {
        System.err.println("command executor: did not receive ACK for the terminal status update from the agent");
        System.exit(1);
      }, 60, TimeUnit.SECONDS);
    });
  }

  private void kill(Duration grace) {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    killing = true;
    List<ProcessHandle> tree = p.descendants().toList();
    p.destroy();
    tree.forEach(ProcessHandle::destroy);
    Duration wait = grace != null ? grace : DEFAULT_KILL_GRACE;
    timers.schedule(() -> {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }, wait.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void awaitExit() throws InterruptedException {
    Process p = process;
    if (p != null) {
      p.waitFor();
    }
    sender.shutdown();
    sender.awaitTermination(10, TimeUnit.SECONDS);
  }

  private void send(TaskState state, String message) {
    send(state, message, MesosUuids.random());
  }

  private void send(TaskState state, String message, ByteString uuid) {
    TaskStatus.Builder status = TaskStatus.newBuilder().setTaskId(taskId).setState(state)
        .setSource(TaskStatus.Source.SOURCE_EXECUTOR).setUuid(uuid).setExecutorId(executor);
    if (message != null) {
      status.setMessage(message);
    }
    Call update = call(Call.Type.UPDATE).setUpdate(Call.Update.newBuilder().setStatus(status)).build();
    sender.execute(() -> {
      try {
        http.send(post(ContentType.PROTOBUF.encode(update)).build(), HttpResponse.BodyHandlers.discarding());
      } catch (IOException | InterruptedException e) {
        System.err.println("command executor: could not send " + state + ": " + e);
      }
    });
  }

  private Call.Builder call(Call.Type type) {
    return Call.newBuilder().setType(type).setFrameworkId(framework).setExecutorId(executor);
  }

  /** One RecordIO record, or null at the end of the stream. */
  private static byte[] nextRecord(InputStream in) throws IOException {
    ByteArrayOutputStream length = new ByteArrayOutputStream();
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) {
        if (length.size() == 0) {
          return null;
        }
        throw new EOFException("the agent's stream ended inside a record length");
      }
      if (b < '0' || b > '9' || length.size() >= 20) {
        throw new IOException("bad RecordIO length from the agent");
      }
      length.write(b);
    }
    return in.readNBytes(Integer.parseInt(length.toString()));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
