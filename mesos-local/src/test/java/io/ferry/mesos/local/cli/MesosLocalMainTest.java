package io.ferry.mesos.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry-mesos-local} as a child process: prints the URLs (API, web UI), serves them, stops on SIGTERM. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MesosLocalMainTest {

  @TempDir Path work;

  @Test
  void printsTheMasterUrlServesItAndStopsOnSigterm() throws Exception {
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), MesosLocalMain.class.getName(),
        "--agents", "2", "--cpus", "1", "--mem", "256", "--work-dir", work.toString()))
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine();
      assertThat(first).startsWith("mesos://127.0.0.1:");
      String url = "http://" + first.substring("mesos://".length());
      HttpResponse<String> state = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/state")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(state.statusCode()).isEqualTo(200);
      com.google.gson.JsonObject resources = com.google.gson.JsonParser.parseString(state.body()).getAsJsonObject()
          .getAsJsonArray("slaves").get(0).getAsJsonObject().getAsJsonObject("resources");
      assertThat(resources.get("cpus").getAsDouble()).isEqualTo(1.0);
      assertThat(resources.get("mem").getAsDouble()).isEqualTo(256.0);
      assertThat(resources.get("disk").getAsDouble()).isEqualTo(10240.0);
      assertThat(out.readLine()).startsWith("master: " + url + "/api/v1/scheduler");
      assertThat(out.readLine()).isEqualTo("web UI: " + url + "/");
      HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("<title>mesos-local</title>");
      p.destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void theFetchLimitAndSwitchUserAreSetOnTheCommandLineAndShown() throws Exception {
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), MesosLocalMain.class.getName(),
        "--work-dir", work.toString(), "--fetch-limit", "8", "--no-switch-user"))
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      List<String> lines = List.of(out.readLine(), out.readLine(), out.readLine(), out.readLine(), out.readLine());
      assertThat(lines.get(4)).isEqualTo("containers: fetch limit 8 MB; tasks run as user "
          + io.ferry.mesos.local.user.UnixAccount.current().name());
      p.destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
  }
}
