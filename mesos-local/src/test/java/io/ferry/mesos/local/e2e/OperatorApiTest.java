package io.ferry.mesos.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ferry.mesos.local.LocalCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator API's GET_TASKS (the call mesos-local emulates, for the web UI's reasons and
 * messages): Mesos's answer shape, each task's last status with its message and reason, no
 * status data, and clear errors for what it does not take.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class OperatorApiTest {

  @TempDir Path work;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  HttpResponse<String> post(LocalCluster cluster, String contentType, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(cluster.masterUrl() + "/api/v1"))
        .header("Content-Type", contentType).header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void getTasksGivesTheLastStatusWithItsMessageAndReason() throws Exception {
    LocalCluster.Settings settings = LocalCluster.Settings.parse("local-cluster[1,1,512]", work)
        .withAllocationInterval(Duration.ofMillis(100));
    try (LocalCluster cluster = LocalCluster.start(settings);
        OneTask task = OneTask.subscribe(cluster, System.getProperty("user.name"))) {
      task.launch(OneTask.command("bad", "exit 7"));
      TaskStatus last = task.awaitTerminal(Duration.ofSeconds(30));
      assertThat(last.getState()).isEqualTo(TaskState.TASK_FAILED);

      HttpResponse<String> answer = post(cluster, "application/json", "{\"type\":\"GET_TASKS\"}");
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
      JsonObject root = JsonParser.parseString(answer.body()).getAsJsonObject();
      assertThat(root.get("type").getAsString()).isEqualTo("GET_TASKS");
      JsonObject lists = root.getAsJsonObject("get_tasks");
      assertThat(lists.getAsJsonArray("tasks")).isEmpty();
      JsonArray completed = lists.getAsJsonArray("completed_tasks");
      assertThat(completed).hasSize(1);
      JsonObject t = completed.get(0).getAsJsonObject();
      assertThat(t.getAsJsonObject("task_id").get("value").getAsString()).isEqualTo("bad");
      assertThat(t.getAsJsonObject("agent_id").get("value").getAsString()).isEqualTo(last.getAgentId().getValue());
      assertThat(t.get("state").getAsString()).isEqualTo("TASK_FAILED");
      JsonArray statuses = t.getAsJsonArray("statuses");
      JsonObject status = statuses.get(statuses.size() - 1).getAsJsonObject();
      assertThat(status.get("state").getAsString()).isEqualTo("TASK_FAILED");
      assertThat(status.get("message").getAsString()).isEqualTo("Command exited with status 7");
      // As Mesos's command executor: a command that failed has a message but no reason.
      assertThat(status.has("reason")).isFalse();
      assertThat(status.get("source").getAsString()).isEqualTo("SOURCE_EXECUTOR");
      assertThat(status.has("data")).isFalse();
    }
  }

  @Test
  void whatItDoesNotTakeIsNamed() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(LocalCluster.Settings.parse("local-cluster[1,1,256]", work))) {
      HttpResponse<String> other = post(cluster, "application/json", "{\"type\":\"GET_AGENTS\"}");
      assertThat(other.statusCode()).isEqualTo(501);
      assertThat(other.body()).isEqualTo("mesos-local emulates only GET_TASKS of the operator API, not 'GET_AGENTS'");
      HttpResponse<String> noType = post(cluster, "application/json", "{}");
      assertThat(noType.statusCode()).isEqualTo(400);
      assertThat(noType.body()).contains("Expecting 'type' to be present");
      assertThat(post(cluster, "application/json", "{not json").statusCode()).isEqualTo(400);
      HttpResponse<String> protobuf = post(cluster, "application/x-protobuf", "");
      assertThat(protobuf.statusCode()).isEqualTo(415);
      assertThat(protobuf.body()).contains("'application/x-protobuf'");
      HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(cluster.masterUrl() + "/api/v1")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(get.statusCode()).isEqualTo(405);
    }
  }
}
