package io.ferry.mesos.local.webui;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mesos.local.LocalCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The master serves the UI's page and assets over real HTTP, and nothing else by those paths. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebUiRouteTest {

  @TempDir static Path work;
  static LocalCluster cluster;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    cluster = LocalCluster.start(LocalCluster.Settings.parse("local-cluster[1,1,256]", work));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  HttpResponse<String> send(String method, String rawPath) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(cluster.masterUrl() + rawPath))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void thePageIsServedAtTheRootWithItsPolicy() throws Exception {
    for (String path : List.of("/", "/index.html")) {
      HttpResponse<String> page = send("GET", path);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(WebUiRoute.CONTENT_SECURITY_POLICY);
      assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(page.body()).contains("<script src=\"/static/app.js\"></script>").doesNotContain("http://", "https://");
    }
  }

  @Test
  void eachAssetHasItsContentType() throws Exception {
    Map<String, String> types = Map.of("js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");
    for (String name : WebUiRoute.ASSETS) {
      HttpResponse<String> asset = send("GET", "/static/" + name);
      assertThat(asset.statusCode()).as(name).isEqualTo(200);
      assertThat(asset.headers().firstValue("Content-Type")).as(name)
          .hasValue(types.get(name.substring(name.lastIndexOf('.') + 1)));
      assertThat(asset.body()).as(name).isNotBlank();
      // Nothing off this machine: no CDN, no remote font, no absolute URL.
      assertThat(asset.body()).as(name).doesNotContain("https://", "http://");
    }
    HttpResponse<String> head = send("HEAD", "/static/app.js");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValueAsLong("Content-Length").orElseThrow()).isPositive();
  }

  @Test
  void unknownNamesAndEscapesAre404() throws Exception {
    // WebUiRoute.class and index.html sit beside the assets on the class path: neither is an asset.
    for (String path : List.of("/static/nope.js", "/static/", "/static/WebUiRoute.class", "/static/index.html",
        "/static/../index.html", "/static/%2e%2e/WebUiRoute.class", "/static/..%2f..%2fmaster%2fMasterCore.class",
        "/static/app.js%00.css", "/static/app.js/", "/static//etc/passwd", "/static/%2fetc%2fpasswd",
        "/static/APP.JS", "/static/app.js.map")) {
      HttpResponse<String> r = send("GET", path);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(r.body()).as(path).isEqualTo("No such file in the web UI; the page is at /");
    }
  }

  @Test
  void onlyReadsAreAllowed() throws Exception {
    HttpResponse<String> post = send("POST", "/");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(send("DELETE", "/static/app.js").statusCode()).isEqualTo(405);
  }
}
