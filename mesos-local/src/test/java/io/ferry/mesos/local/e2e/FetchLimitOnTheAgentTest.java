package io.ferry.mesos.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mesos.local.LocalCluster;
import io.ferry.mesos.local.fetcher.Bombs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An agent's fetch limit: a gzip bomb fails its task the way Mesos fails a fetch. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FetchLimitOnTheAgentTest {

  @TempDir Path tmp;

  @Test
  void aTgzBombFailsTheTaskNamingTheUriAndTheLimit() throws Exception {
    Path bomb = Bombs.tgz(tmp.resolve("bomb.tgz"), "big.bin", 256L * Bombs.MiB);
    String uri = bomb.toUri().toString();
    Path work = tmp.resolve("cluster");
    try (LocalCluster cluster = LocalCluster.start(LocalCluster.Settings.parse("local-cluster[1,2,1024]", work)
        .withAllocationInterval(Duration.ofMillis(100)).withFetchLimit(4L * Bombs.MiB));
        OneTask framework = OneTask.subscribe(cluster, System.getProperty("user.name"))) {
      framework.launch(OneTask.command("t", "true", uri));
      TaskStatus status = framework.awaitTerminal(Duration.ofSeconds(60));

      assertThat(status.getState()).isEqualTo(TaskState.TASK_FAILED);
      assertThat(status.getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
      assertThat(status.getMessage()).startsWith("Failed to launch container: Failed to fetch '" + uri
          + "': over the fetch limit: extracting entry 'big.bin' of archive bomb.tgz would take what this"
          + " fetch writes into the sandbox past 4 MiB (4194304 bytes, the agent's fetch limit)");
    }
    try (Stream<Path> all = Files.walk(work)) {
      assertThat(all.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum())
          .isLessThanOrEqualTo(4L * Bombs.MiB);
    }
  }

  @Test
  void agentsOfferAndReportTheirDiskResource() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(LocalCluster.Settings.parse("local-cluster[1,2,1024]",
        tmp.resolve("cluster")))) {
      HttpResponse<String> state = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(cluster.masterUrl() + "/state")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(com.google.gson.JsonParser.parseString(state.body()).getAsJsonObject().getAsJsonArray("slaves").get(0)
          .getAsJsonObject().getAsJsonObject("resources").get("disk").getAsDouble()).isEqualTo(10240.0);
    }
  }
}
