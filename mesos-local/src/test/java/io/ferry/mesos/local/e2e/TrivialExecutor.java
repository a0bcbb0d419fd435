package io.ferry.mesos.local.e2e;

import io.ferry.mesos.ContentType;
import io.ferry.mesos.MesosUuids;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * A minimal v1 executor speaking raw HTTP (JSON): it finishes every task it is given at once,
 * kills on KILL, and exits on SHUTDOWN or when its stream ends. Run by mesos-local's agents as a
 * real child process in end-to-end tests and the throughput benchmark. With
 * {@code TRIVIAL_IGNORE_SHUTDOWN=1} it ignores SHUTDOWN, as a misbehaving executor would.
 */
public final class TrivialExecutor {

  private static String bearer;

  private static HttpRequest.Builder authorized(HttpRequest.Builder b) {
    return bearer == null ? b : b.header("Authorization", bearer);
  }

  public static void main(String[] args) throws Exception {
    String endpoint = "http://" + System.getenv("MESOS_AGENT_ENDPOINT") + "/api/v1/executor";
    FrameworkID framework = FrameworkID.newBuilder().setValue(System.getenv("MESOS_FRAMEWORK_ID")).build();
    ExecutorID executor = ExecutorID.newBuilder().setValue(System.getenv("MESOS_EXECUTOR_ID")).build();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String token = System.getenv("MESOS_EXECUTOR_AUTHENTICATION_TOKEN");
    bearer = token == null ? null : "Bearer " + token;
    Call subscribe = Call.newBuilder().setType(Call.Type.SUBSCRIBE).setFrameworkId(framework).setExecutorId(executor)
        .setSubscribe(Call.Subscribe.getDefaultInstance()).build();
    HttpResponse<InputStream> stream = http.send(authorized(HttpRequest.newBuilder(URI.create(endpoint)))
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(ContentType.JSON.encode(subscribe))).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    if (stream.statusCode() != 200) {
      System.err.println("SUBSCRIBE answered " + stream.statusCode() + ": " + new String(stream.body().readAllBytes()));
      System.exit(2);
    }
    RecordIoReader reader = new RecordIoReader(stream.body());
    for (byte[] record; (record = reader.next()) != null; ) {
      Event event = ContentType.JSON.decode(record, Event.newBuilder());
      switch (event.getType()) {
        case LAUNCH -> {
          TaskID task = event.getLaunch().getTask().getTaskId();
          update(http, endpoint, framework, executor, task, TaskState.TASK_RUNNING);
          update(http, endpoint, framework, executor, task, TaskState.TASK_FINISHED);
        }
        case KILL -> update(http, endpoint, framework, executor, event.getKill().getTaskId(), TaskState.TASK_KILLED);
        case SHUTDOWN -> {
          if (!"1".equals(System.getenv("TRIVIAL_IGNORE_SHUTDOWN"))) {
            System.exit(0);
          }
        }
        default -> { }
      }
    }
    System.exit(0);
  }

  private static void update(HttpClient http, String endpoint, FrameworkID framework, ExecutorID executor, TaskID task,
      TaskState state) throws Exception {
    Call call = Call.newBuilder().setType(Call.Type.UPDATE).setFrameworkId(framework).setExecutorId(executor)
        .setUpdate(Call.Update.newBuilder().setStatus(TaskStatus.newBuilder().setTaskId(task).setState(state)
            .setSource(TaskStatus.Source.SOURCE_EXECUTOR).setUuid(MesosUuids.random()))).build();
    HttpResponse<String> r = http.send(authorized(HttpRequest.newBuilder(URI.create(endpoint))).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(ContentType.JSON.encode(call))).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 202) {
      System.err.println("UPDATE answered " + r.statusCode() + ": " + r.body());
    }
  }
}
