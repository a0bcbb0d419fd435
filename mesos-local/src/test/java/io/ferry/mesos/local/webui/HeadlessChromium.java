package io.ferry.mesos.local.webui;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ferry.mesos.local.Await;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Chromium driven through chromedriver's W3C WebDriver HTTP API on loopback
 * (the few commands a test needs: open a URL, run a script, find and click an element). No
 * Selenium: nothing here ever looks for a driver on the network. {@link #close()} ends the
 * session and then kills chromedriver and every process under it (Chromium's), whatever state
 * they are in.
 */
final class HeadlessChromium implements AutoCloseable {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

  private final Process driver;
  private final URI base;
  private final Path profile;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private String session;

  private HeadlessChromium(Process driver, URI base, Path profile) {
    this.driver = driver;
    this.base = base;
    this.profile = profile;
  }

  /** Starts chromedriver on a free loopback port, then a headless Chromium session. */
  static HeadlessChromium start(Path dir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Files.createDirectories(dir);
    Process process = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port, "--allowed-ips=127.0.0.1",
        "--log-path=" + dir.resolve("chromedriver.log")).redirectErrorStream(true)
        .redirectOutput(dir.resolve("chromedriver.out").toFile()).start();
    HeadlessChromium chromium = new HeadlessChromium(process, URI.create("http://127.0.0.1:" + port + "/"),
        dir.resolve("profile"));
    try {
      Await.until(Duration.ofSeconds(20), "chromedriver to answer on port " + port, chromium::ready);
      chromium.newSession();
      return chromium;
    } catch (Exception | AssertionError e) {
      chromium.close();
      throw e;
    }
  }

  private boolean ready() {
    if (!driver.isAlive()) {
      throw new AssertionError("chromedriver exited with " + driver.exitValue() + " before answering");
    }
    try {
      JsonObject status = send("GET", "status", null).getAsJsonObject();
      return status.get("ready").getAsBoolean();
    } catch (Exception e) {
      return false;
    }
  }

  private void newSession() throws Exception {
    JsonArray args = new JsonArray();
    args.add("--headless=new");
    // Chromium refuses to start as root with its sandbox on; tests here may run as root (CI in a
    // container). The pages it opens are this test's own, on loopback.
    if ("root".equals(System.getProperty("user.name"))) {
      args.add("--no-sandbox");
    }
    for (String a : List.of("--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check",
        "--disable-gpu", "--disable-dev-shm-usage", "--disable-extensions", "--disable-sync",
        "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
        "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--no-proxy-server",
        "--window-size=1280,900")) {
      args.add(a);
    }
    JsonObject options = new JsonObject();
    options.addProperty("binary", CHROMIUM.toString());
    options.add("args", args);
    JsonObject always = new JsonObject();
    always.addProperty("browserName", "chrome");
    always.add("goog:chromeOptions", options);
    JsonObject capabilities = new JsonObject();
    capabilities.add("alwaysMatch", always);
    JsonObject body = new JsonObject();
    body.add("capabilities", capabilities);
    JsonObject value = send("POST", "session", body).getAsJsonObject();
    session = value.get("sessionId").getAsString();
  }

  void open(String url) throws Exception {
    JsonObject body = new JsonObject();
    body.addProperty("url", url);
    send("POST", "session/" + session + "/url", body);
  }

  /** Sets the browser window's size in CSS pixels. */
  void resize(int width, int height) throws Exception {
    JsonObject body = new JsonObject();
    body.addProperty("width", width);
    body.addProperty("height", height);
    send("POST", "session/" + session + "/window/rect", body);
  }

  /** Runs {@code script} (a function body; {@code return} gives the result) in the page. */
  JsonElement script(String script) throws Exception {
    JsonObject body = new JsonObject();
    body.addProperty("script", script);
    body.add("args", new JsonArray());
    return send("POST", "session/" + session + "/execute/sync", body);
  }

  /** The text content of the first element matching {@code css}, or null when there is none. */
  String text(String css) throws Exception {
    JsonElement v = script("var e = document.querySelector(" + quote(css) + "); return e ? e.textContent : null;");
    return v.isJsonNull() ? null : v.getAsString();
  }

  /** Clicks the first element matching {@code css} as a user would (it must be visible). */
  void click(String css) throws Exception {
    JsonObject find = new JsonObject();
    find.addProperty("using", "css selector");
    find.addProperty("value", css);
    String element = send("POST", "session/" + session + "/element", find).getAsJsonObject().get(ELEMENT).getAsString();
    send("POST", "session/" + session + "/element/" + element + "/click", new JsonObject());
  }

  static String quote(String s) {
    JsonArray a = new JsonArray();
    a.add(s);
    String json = a.toString();
    return json.substring(1, json.length() - 1);
  }

  private JsonElement send(String method, String path, JsonObject body) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (body != null) {
      request.header("Content-Type", "application/json; charset=utf-8");
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    JsonElement answer = JsonParser.parseString(response.body());
    JsonElement value = answer.isJsonObject() ? answer.getAsJsonObject().get("value") : null;
    if (response.statusCode() != 200) {
      throw new IOException("chromedriver: " + method + " /" + path + " answered " + response.statusCode() + ": "
          + (value == null ? response.body() : value));
    }
    return value == null ? com.google.gson.JsonNull.INSTANCE : value;
  }

  @Override
  public void close() {
    try {
      if (session != null) {
        send("DELETE", "session/" + session, null);
      }
    } catch (Exception e) {
      // Killed below either way.
    } finally {
      List<ProcessHandle> all = new ArrayList<>(driver.descendants().toList());
      // A helper Chromium starts detached (crashpad) is no descendant; it names our profile.
      all.addAll(ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
          .map(c -> c.contains(profile.toString())).orElse(false)).filter(p -> !all.contains(p)).toList());
      driver.destroyForcibly();
      all.forEach(ProcessHandle::destroyForcibly);
      try {
        driver.waitFor(10, TimeUnit.SECONDS);
        for (ProcessHandle p : all) {
          p.onExit().get(10, TimeUnit.SECONDS);
        }
      } catch (Exception e) {
        throw new AssertionError("chromedriver or Chromium did not exit after SIGKILL", e);
      }
    }
  }
}
