package io.ferry.mesos.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ferry.mesos.local.Await;
import io.ferry.mesos.local.LocalCluster;
import io.ferry.mesos.local.user.UnixAccount;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent's {@code /files/browse}, {@code /files/read} and {@code /files/download}, spoken to over
 * raw HTTP on the agent's own port, on sandboxes of real command tasks: both paths of a sandbox,
 * the UI's tail pattern, a failed task's stderr, JSONP, and every way out of a sandbox answered
 * without a byte of what is outside.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SandboxFilesEndpointTest {

  private static final String SECRET = "TOP-SECRET-e2e-51f0c9";
  private static final String B_PRIVATE = "B-PRIVATE-93ad";

  @TempDir Path tmp;
  private Path work;
  private Path secret;
  private HttpClient http = newClient();

  private static HttpClient newClient() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @BeforeEach
  void setUp() throws Exception {
    // Searchable by the users tasks run as (the switch_user case).
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    work = tmp.resolve("cluster");
    secret = Files.writeString(tmp.resolve("secret.txt"), SECRET + "\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
  }

  private LocalCluster cluster() throws Exception {
    return LocalCluster.start(LocalCluster.Settings.parse("local-cluster[1,2,1024]", work)
        .withAllocationInterval(Duration.ofMillis(100)));
  }

  private static String user() {
    return System.getProperty("user.name");
  }

  /** The run directory of {@code executorId} (not {@code runs/latest}). */
  private Path sandbox(String frameworkId, String executorId) throws Exception {
    try (Stream<Path> all = Files.walk(work)) {
      return all.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().equals("runs")
              && !p.getFileName().toString().equals("latest")
              && p.getParent().getParent().getFileName().toString().equals(executorId)
              && p.toString().contains("/frameworks/" + frameworkId + "/"))
          .findFirst().orElseThrow(() -> new AssertionError("no sandbox of " + executorId + " under " + work));
    }
  }

  private record Reply(int status, String contentType, String body, HttpResponse<byte[]> raw) {}

  private Reply get(int port, String endpointAndRawQuery) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + port + endpointAndRawQuery);
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
        new String(r.body(), StandardCharsets.UTF_8), r);
  }

  private static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static void awaitExit(LocalCluster cluster, String executorId) throws Exception {
    Await.until(Duration.ofSeconds(30), "the executor of " + executorId + " to exit", () ->
        cluster.agents().get(0).executorExits().stream().anyMatch(e -> e.executorId().equals(executorId)));
  }

  @Test
  void browseReadTailAndDownloadAFailedTasksSandboxByBothPaths() throws Exception {
    try (LocalCluster cluster = cluster(); OneTask framework = OneTask.subscribe(cluster, user())) {
      framework.launch(OneTask.command("t-out",
          "seq 1 30000 | sed 's/^/line /'; echo report > report.txt; echo 'the task failed: disk is full' >&2;"
              + " exit 3"));
      TaskStatus status = framework.awaitTerminal(Duration.ofSeconds(60));
      assertThat(status.getState()).isEqualTo(TaskState.TASK_FAILED);
      // A completed executor's sandbox stays reachable (as in Mesos until it is garbage-collected).
      awaitExit(cluster, "t-out");
      int port = cluster.agents().get(0).port();
      String fid = framework.frameworkId();
      String virtual = "/frameworks/" + fid + "/executors/t-out/runs/latest";
      Path sandbox = sandbox(fid, "t-out");
      byte[] stdout = Files.readAllBytes(sandbox.resolve("stdout"));
      assertThat(stdout.length).isGreaterThan(200_000);

      for (String base : List.of(virtual, sandbox.toString())) {
        Reply browse = get(port, "/files/browse?path=" + q(base));
        assertThat(browse.status()).as(base).isEqualTo(200);
        assertThat(browse.contentType()).isEqualTo("application/json");
        JsonArray entries = JsonParser.parseString(browse.body()).getAsJsonArray();
        List<String> paths = new ArrayList<>();
        for (JsonElement e : entries) {
          JsonObject o = e.getAsJsonObject();
          assertThat(o.keySet()).containsExactly("gid", "mode", "mtime", "nlink", "path", "size", "uid");
          paths.add(o.get("path").getAsString());
          if (o.get("path").getAsString().endsWith("/stdout")) {
            assertThat(o.get("size").getAsLong()).isEqualTo(stdout.length);
            assertThat(o.get("mode").getAsString()).matches("-[rwx-]{9}");
            assertThat(o.get("nlink").getAsLong()).isEqualTo(1);
            assertThat(o.get("uid").getAsString()).isEqualTo(user());
          }
        }
        assertThat(paths).contains(base + "/stdout", base + "/stderr");
        assertThat(browse.body()).containsPattern("\"mtime\":[0-9]+\\.0,");
        assertThat(get(port, "/files/browse?path=" + q(base + "/")).body()).isEqualTo(browse.body());
      }

      // The UI's tail: learn the size with offset=-1, then read the last bytes.
      Reply size = get(port, "/files/read?path=" + q(virtual + "/stdout") + "&offset=-1");
      assertThat(size.status()).isEqualTo(200);
      assertThat(size.body()).isEqualTo("{\"data\":\"\",\"offset\":" + stdout.length + "}");
      assertThat(get(port, "/files/read?path=" + q(virtual + "/stdout")).body()).isEqualTo(size.body());
      // libprocess splits the query on ';' too, and keeps the last of a repeated key.
      assertThat(get(port, "/files/read?path=/nowhere;path=" + q(virtual + "/stdout") + ";offset=0&offset=-1").body())
          .isEqualTo(size.body());
      int tail = 1000;
      Reply last = get(port, "/files/read?path=" + q(virtual + "/stdout") + "&offset=" + (stdout.length - tail)
          + "&length=" + tail);
      JsonObject lastJson = JsonParser.parseString(last.body()).getAsJsonObject();
      assertThat(lastJson.get("offset").getAsLong()).isEqualTo(stdout.length - tail);
      assertThat(lastJson.get("data").getAsString())
          .isEqualTo(new String(stdout, stdout.length - tail, tail, StandardCharsets.UTF_8)).endsWith("line 30000\n");
      // One read gives at most 64 KiB; past the end gives nothing.
      Reply first = get(port, "/files/read?path=" + q(sandbox + "/stdout") + "&offset=0");
      assertThat(JsonParser.parseString(first.body()).getAsJsonObject().get("data").getAsString())
          .isEqualTo(new String(stdout, 0, 65536, StandardCharsets.UTF_8));
      assertThat(get(port, "/files/read?path=" + q(virtual + "/stdout") + "&offset=" + (stdout.length + 5)).body())
          .isEqualTo("{\"data\":\"\",\"offset\":" + (stdout.length + 5) + "}");

      // The failed task's stderr says why.
      Reply stderr = get(port, "/files/read?path=" + q(virtual + "/stderr") + "&offset=0");
      assertThat(JsonParser.parseString(stderr.body()).getAsJsonObject().get("data").getAsString())
          .contains("the task failed: disk is full");

      // Mesos's refusals.
      assertThat(get(port, "/files/read?path=" + q(virtual + "/stdout") + "&offset=hello"))
          .extracting(Reply::status, Reply::body)
          .containsExactly(400, "Failed to parse offset: Failed to convert 'hello' to number.\n");
      assertThat(get(port, "/files/read?path=" + q(virtual + "/stdout") + "&length=-2"))
          .extracting(Reply::status, Reply::body).containsExactly(400, "Negative length provided: -2.\n");
      assertThat(get(port, "/files/read?path=" + q(virtual) + "&offset=0"))
          .extracting(Reply::status, Reply::body).containsExactly(400, "Cannot read a directory.\n");
      assertThat(get(port, "/files/read?offset=0")).extracting(Reply::status, Reply::body)
          .containsExactly(400, "Expecting 'path=value' in query.\n");
      assertThat(get(port, "/files/read?path=" + q(virtual + "/nothing") + "&offset=0").status()).isEqualTo(404);
      assertThat(get(port, "/files/browse?path=" + q("/frameworks/" + fid + "/executors/other/runs/latest")).status())
          .isEqualTo(404);

      // Download: the whole file, as an attachment.
      Reply download = get(port, "/files/download?path=" + q(virtual + "/stdout"));
      assertThat(download.status()).isEqualTo(200);
      assertThat(download.raw().body()).isEqualTo(stdout);
      assertThat(download.contentType()).isEqualTo("application/octet-stream");
      assertThat(download.raw().headers().firstValue("Content-Disposition")).hasValue("attachment; filename=stdout");
      assertThat(get(port, "/files/download?path=" + q(virtual)).body()).isEqualTo("Cannot download a directory.\n");
      Reply report = get(port, "/files/download?path=" + q(sandbox + "/report.txt"));
      assertThat(report.body()).isEqualTo("report\n");
      assertThat(report.contentType()).isEqualTo("text/plain");
      assertThat(report.raw().headers().firstValue("Content-Disposition")).hasValue("attachment; filename=report.txt");

      // JSONP, as Mesos's UI reads an agent on another port.
      Reply jsonp = get(port, "/files/read?path=" + q(virtual + "/stdout") + "&offset=-1&jsonp=angular.callbacks._0");
      assertThat(jsonp.contentType()).isEqualTo("text/javascript");
      assertThat(jsonp.body()).isEqualTo("angular.callbacks._0(" + size.body() + ");");
      Reply browseJsonp = get(port, "/files/browse?path=" + q(virtual) + "&jsonp=cb");
      assertThat(browseJsonp.body()).startsWith("cb([{").endsWith("}]);");
      assertThat(get(port, "/files/read?path=" + q(virtual + "/stdout") + "&jsonp=" + q("alert(1)//")).status())
          .isEqualTo(400);

      // The mapping, as /files/debug shows it.
      JsonObject debug = JsonParser.parseString(get(port, "/files/debug").body()).getAsJsonObject();
      assertThat(debug.get(virtual).getAsString()).isEqualTo(sandbox.toRealPath().toString());
      assertThat(debug.get(sandbox.toString()).getAsString()).isEqualTo(sandbox.toRealPath().toString());
    }
  }

  @Test
  void noWayOutOfASandboxReadsAnythingOutsideIt() throws Exception {
    try (LocalCluster cluster = cluster(); OneTask framework = OneTask.subscribe(cluster, user())) {
      framework.launch(OneTask.command("b", "echo " + B_PRIVATE));
      assertThat(framework.awaitTerminal(Duration.ofSeconds(60)).getState()).isEqualTo(TaskState.TASK_FINISHED);
      framework.launch(OneTask.command("a", String.join(" && ",
          "ln -s '" + secret + "' secret-link",
          "ln -s /etc/passwd passwd-link",
          "ln -s / rootdir",
          "ln -s .. up",
          "ln -s ../../../b/runs/latest/stdout b-link",
          "ln -s ../../../b/runs/latest b-dir",
          "ln -s stdout own-link",
          "echo A-OWN")));
      assertThat(framework.awaitTerminal(Duration.ofSeconds(60)).getState()).isEqualTo(TaskState.TASK_FINISHED);
      int port = cluster.agents().get(0).port();
      String fid = framework.frameworkId();
      String virtualA = "/frameworks/" + fid + "/executors/a/runs/latest";
      String virtualB = "/frameworks/" + fid + "/executors/b/runs/latest";
      Path sandboxA = sandbox(fid, "a");

      // What is inside is served, through a link inside too.
      assertThat(get(port, "/files/read?path=" + q(virtualB + "/stdout") + "&offset=0").body()).contains(B_PRIVATE);
      assertThat(get(port, "/files/read?path=" + q(virtualA + "/own-link") + "&offset=0").body()).contains("A-OWN");

      List<String> rawQueries = new ArrayList<>();
      for (String base : List.of(virtualA, sandboxA.toString())) {
        for (String inside : List.of("secret-link", "passwd-link", "rootdir/etc/passwd",
            "up/../../b/runs/latest/stdout", "b-link", "b-dir/stdout", "../../../b/runs/latest/stdout", "up/",
            "rootdir/", "b-dir/")) {
          rawQueries.add("path=" + q(base + "/" + inside));
        }
        // Raw, percent-encoded and doubled-slash '..' (the query is decoded once, as libprocess does).
        rawQueries.add("path=" + base + "/../../../b/runs/latest/stdout");
        rawQueries.add("path=" + base + "/%2e%2e/%2e%2e/%2e%2e/b/runs/latest/stdout");
        rawQueries.add("path=" + base + "/%2E%2E%2F%2E%2E%2F%2E%2E%2Fb%2Fruns%2Flatest%2Fstdout");
        rawQueries.add("path=" + base + "//..//..//..//b//runs//latest//stdout");
        rawQueries.add("path=" + base + "/%252e%252e/%252e%252e/%252e%252e/b/runs/latest/stdout");
        rawQueries.add("path=" + base + "/stdout%00/../../../b/runs/latest/stdout");
        rawQueries.add("path=" + base + "/..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd");
      }
      for (String outside : List.of(secret.toString(), "/etc/passwd", "/", tmp.toString(), work.toString(),
          sandboxA.getParent().toString(), "file://" + secret, "/frameworks/" + fid, "/frameworks")) {
        rawQueries.add("path=" + q(outside));
      }
      for (String query : rawQueries) {
        for (String endpoint : List.of("/files/read?offset=0&", "/files/download?", "/files/browse?")) {
          Reply r = get(port, endpoint + query);
          assertThat(r.status()).as(endpoint + query).isIn(400, 404);
          assertThat(r.body()).as(endpoint + query).doesNotContain(SECRET).doesNotContain(B_PRIVATE)
              .doesNotContain("root:x:0:0");
        }
      }
      // The listing shows the links as links, nothing of what they point at.
      String listing = get(port, "/files/browse?path=" + q(virtualA)).body();
      assertThat(listing).contains("\"mode\":\"lrwxrwxrwx\"")
          .contains("\"path\":\"" + virtualA + "/secret-link\",\"size\":" + secret.toString().length() + ",");
    }
  }

  @Test
  void aTaskOfAnotherUserCannotMakeTheRootAgentReadOutsideItsSandbox() throws Exception {
    assumeTrue(UnixAccount.runningAsRoot(), "switching users needs an agent running as root");
    try (LocalCluster cluster = cluster(); OneTask framework = OneTask.subscribe(cluster, "nobody")) {
      framework.launch(OneTask.command("n", "ln -s '" + secret + "' s && ln -s /etc/shadow sh && ln -s / r && id -un"));
      TaskStatus status = framework.awaitTerminal(Duration.ofSeconds(60));
      assertThat(status.getState()).as(status.getMessage()).isEqualTo(TaskState.TASK_FINISHED);
      int port = cluster.agents().get(0).port();
      String virtual = "/frameworks/" + framework.frameworkId() + "/executors/n/runs/latest";
      // The agent reads the user's files for it (as Mesos's agent does)...
      assertThat(get(port, "/files/read?path=" + q(virtual + "/stdout") + "&offset=0").body()).contains("nobody");
      // ...but never through the user's links to what only root may read.
      for (String path : List.of(virtual + "/s", virtual + "/sh", virtual + "/r/etc/shadow", virtual + "/r" + secret)) {
        for (String endpoint : List.of("/files/read?offset=0&path=", "/files/download?path=")) {
          Reply r = get(port, endpoint + q(path));
          assertThat(r.status()).as(endpoint + path).isEqualTo(400);
          assertThat(r.body()).as(endpoint + path).endsWith("is inaccessible.\n").doesNotContain(SECRET)
              .doesNotContain("root:");
        }
      }
    }
  }

  @Test
  void aRestartedAgentServesOnlyTheSandboxesOfFrameworksWithCheckpointing() throws Exception {
    try (LocalCluster cluster = cluster()) {
      String kept;
      try (OneTask framework = OneTask.subscribe(cluster, user(), true)) {
        framework.launch(OneTask.command("kept", "echo kept"));
        assertThat(framework.awaitTerminal(Duration.ofSeconds(60)).getState()).isEqualTo(TaskState.TASK_FINISHED);
        kept = "/frameworks/" + framework.frameworkId() + "/executors/kept/runs/latest";
      }
      String lost;
      String lostSandbox;
      try (OneTask framework = OneTask.subscribe(cluster, user(), false)) {
        framework.launch(OneTask.command("lost", "echo lost"));
        assertThat(framework.awaitTerminal(Duration.ofSeconds(60)).getState()).isEqualTo(TaskState.TASK_FINISHED);
        lost = "/frameworks/" + framework.frameworkId() + "/executors/lost/runs/latest";
        lostSandbox = sandbox(framework.frameworkId(), "lost").toString();
      }
      int port = cluster.agents().get(0).port();
      assertThat(get(port, "/files/browse?path=" + q(lost)).status()).isEqualTo(200);
      assertThat(get(port, "/files/browse?path=" + q(lostSandbox)).status()).isEqualTo(200);

      cluster.agents().get(0).restart(Duration.ZERO, Duration.ofMillis(50), Duration.ofSeconds(1));
      // New connections to the restarted agent: on this branch LocalHttpServer.close() may leave a
      // kept-alive connection to the old server open and unserved (fixed on wt-restart, ae74376).
      http = newClient();

      assertThat(get(port, "/files/read?offset=0&path=" + q(kept + "/stdout")).body()).contains("kept");
      assertThat(get(port, "/files/browse?path=" + q(lost)).status()).isEqualTo(404);
      assertThat(get(port, "/files/browse?path=" + q(lostSandbox)).status()).isEqualTo(404);
    }
  }
}
