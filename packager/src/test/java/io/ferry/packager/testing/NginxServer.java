package io.ferry.packager.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real nginx (WebDAV PUT) for tests and benchmarks, run as a child process on a free loopback
 * port with everything (config, root, logs, pid, temp files) inside one directory. Stopping it
 * ends the master and its workers, even after a {@link #kill()}.
 *
 * <p>Locations, all under {@link #root()} (the document root, so {@code /dav/a/b.tgz} lands in
 * {@code root()/dav/a/b.tgz}):
 *
 * <ul>
 *   <li>{@link #DAV}: PUT, DELETE and MOVE, parents created, no size limit
 *   <li>{@link #DAV_NO_PARENTS}: PUT without {@code create_full_put_path}; nginx answers 500
 *       (not 409) when the parent directory is missing
 *   <li>{@link #BASIC}: like {@link #DAV} behind Basic auth, if {@link Builder#basicAuth} was set
 *   <li>{@link #BEARER}: like {@link #DAV}, only with {@code Authorization: Bearer <token>}, if
 *       {@link Builder#bearerToken} was set
 *   <li>{@link #REDIRECT}: 307 with a relative Location to the same path under {@link #DAV}
 *   <li>{@link #UNAVAILABLE}: 503 for every request
 *   <li>{@link #PUT_UNAVAILABLE}: 503 for PUT, files served for reads (so a HEAD says "absent")
 *   <li>{@link #TAMPERED}: PUT and DELETE as {@link #DAV}, but GET and HEAD are answered from
 *       {@link #TAMPERED_VIEW}, to show a client something other than what it stored
 *   <li>{@link #READ_ONLY}: plain static files; nginx answers PUT with 405
 *   <li>{@link #MISSING}: 404 for every request
 * </ul>
 */
public final class NginxServer implements AutoCloseable {

  public static final String DAV = "/dav/";
  public static final String DAV_NO_PARENTS = "/dav-no-parents/";
  public static final String BASIC = "/basic/";
  public static final String BEARER = "/bearer/";
  public static final String REDIRECT = "/redirect/";
  public static final String UNAVAILABLE = "/unavailable/";
  public static final String PUT_UNAVAILABLE = "/put-unavailable/";
  public static final String TAMPERED = "/tampered/";
  public static final String TAMPERED_VIEW = "/tampered-view/";
  public static final String READ_ONLY = "/static/";
  public static final String MISSING = "/missing/";

  /** Where nginx is looked for first; {@code -Dferry.nginx=/path} overrides. */
  public static final String DEFAULT_BINARY = "/usr/sbin/nginx";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final int PORT_ATTEMPTS = 5;
  private static final Pattern TOKEN_CHARS = Pattern.compile("[A-Za-z0-9._~+/=-]+");

  /** What to configure before starting. */
  public static final class Builder {

    private Optional<String[]> basic = Optional.empty();
    private Optional<String> bearer = Optional.empty();

    private Builder() {}

    /** Enables {@link #BASIC} with one user (stored as a {@code {PLAIN}} htpasswd entry). */
    public Builder basicAuth(String user, String password) {
      if (user.contains(":") || user.contains("\n") || password.contains("\n")) {
        throw new IllegalArgumentException("user: no ':' or newline; password: no newline");
      }
      basic = Optional.of(new String[] {user, password});
      return this;
    }

    /** Enables {@link #BEARER}, accepting only this token. */
    public Builder bearerToken(String token) {
      if (!TOKEN_CHARS.matcher(token).matches()) {
        throw new IllegalArgumentException("token: use only " + TOKEN_CHARS.pattern());
      }
      bearer = Optional.of(token);
      return this;
    }

    /** Starts nginx with its files in {@code dir} (a fresh temporary directory). */
    public NginxServer start(Path dir) throws IOException {
      return NginxServer.launch(this, dir.toAbsolutePath());
    }
  }

  private final Path dir;
  private final int port;
  private final Process process;
  private final Thread shutdownHook;

  private NginxServer(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
    // A test JVM that exits without close() must not leave nginx holding a port.
    this.shutdownHook = new Thread(this::kill, "nginx-" + port + "-reaper");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts nginx with only the locations that need no configuration. */
  public static NginxServer start(Path dir) throws IOException {
    return builder().start(dir);
  }

  /** {@code http://127.0.0.1:<port>/}. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  /** The URI of {@code path} (such as {@code DAV + "a/b.tgz"}) on this server. */
  public URI uri(String path) {
    return baseUri().resolve(path.startsWith("/") ? path.substring(1) : path);
  }

  /** The document root: an object at URI path {@code /p} is the file {@code root()/p}. */
  public Path root() {
    return dir.resolve("root");
  }

  /** The file behind URI path {@code path}. */
  public Path file(String path) {
    return root().resolve(path.startsWith("/") ? path.substring(1) : path);
  }

  public int port() {
    return port;
  }

  public Path accessLog() {
    return dir.resolve("logs/access.log");
  }

  public Path errorLog() {
    return dir.resolve("logs/error.log");
  }

  /**
   * How many requests with this method and a path starting with {@code pathPrefix} nginx has
   * logged. nginx logs a request once it is done with it, which can be a moment after the client
   * saw the answer: poll with {@link #awaitRequests} when the count must be complete.
   */
  public long requests(String method, String pathPrefix) throws IOException {
    if (!Files.exists(accessLog())) {
      return 0;
    }
    String needle = "\"" + method + " " + pathPrefix;
    try (Stream<String> lines = Files.lines(accessLog(), StandardCharsets.UTF_8)) {
      return lines.filter(line -> line.contains(needle)).count();
    }
  }

  /** Waits until at least {@code count} such requests are logged; returns the logged number. */
  public long awaitRequests(String method, String pathPrefix, long count, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long seen = requests(method, pathPrefix);
    while (seen < count && System.nanoTime() < deadline) {
      // Waiting on the process is the pause; it also ends the wait if nginx died.
      if (process.waitFor(10, TimeUnit.MILLISECONDS)) {
        return requests(method, pathPrefix);
      }
      seen = requests(method, pathPrefix);
    }
    return seen;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Stops nginx (fast shutdown, then SIGKILL if it lingers); safe to call more than once. */
  public void stop() {
    List<ProcessHandle> family = family();
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      killAll(family);
      removeHook();
    }
  }

  /**
   * SIGKILLs the master and its workers at once, as a crash or an OOM kill would: open
   * connections are reset and nothing is cleaned up. For failure injection.
   */
  public void kill() {
    killAll(family());
    removeHook();
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "nginx at " + baseUri() + " (files in " + dir + ")";
  }

  /** The master first, so it cannot start new workers, then the workers it had. */
  private List<ProcessHandle> family() {
    List<ProcessHandle> family = new ArrayList<>();
    family.add(process.toHandle());
    process.descendants().forEach(family::add);
    return family;
  }

  private static void killAll(List<ProcessHandle> family) {
    family.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : family) {
      try {
        p.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        // Reported by the next start failing on the port; nothing better to do here.
      }
    }
  }

  private void removeHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // Already shutting down, or already removed.
    }
  }

  private static NginxServer launch(Builder builder, Path dir) throws IOException {
    Path binary = binary();
    for (String sub : List.of("root", "logs", "tmp", "root/static", "root/tampered-view")) {
      Files.createDirectories(dir.resolve(sub));
    }
    if (builder.basic.isPresent()) {
      String[] up = builder.basic.get();
      Files.writeString(dir.resolve("htpasswd"), up[0] + ":{PLAIN}" + up[1] + "\n");
    }
    String readyToken = UUID.randomUUID().toString();
    String failures = "";
    for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
      int port = freePort();
      Path conf = dir.resolve("nginx.conf");
      Files.writeString(conf, config(builder, dir, port, readyToken));
      Files.deleteIfExists(dir.resolve("logs/error.log"));
      Process process = new ProcessBuilder(binary.toString(), "-p", dir + "/", "-c",
          conf.toString(), "-e", dir.resolve("logs/error.log").toString(),
          "-g", "daemon off; master_process on;")
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("logs/nginx.out").toFile())
          .start();
      NginxServer server = new NginxServer(dir, port, process);
      boolean ready;
      try {
        ready = server.awaitReady(readyToken);
      } catch (IOException | RuntimeException e) {
        server.kill();
        throw e;
      }
      if (ready) {
        return server;
      }
      server.kill();
      failures = log(dir.resolve("logs/error.log")) + log(dir.resolve("logs/nginx.out"));
      if (!failures.contains("Address already in use")) {
        break;
      }
      // Another process took the port between our probe and nginx's bind: try another.
    }
    throw new IllegalStateException("nginx did not start in " + dir + ": " + failures.trim());
  }

  /** Polls until our own nginx answers on the port (not another process that took it). */
  private boolean awaitReady(String ready) throws IOException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return false;
      }
      if (answers(ready)) {
        return true;
      }
      try {
        // The pause between polls; returns early if nginx exits.
        process.waitFor(20, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for nginx", e);
      }
    }
    return false;
  }

  private boolean answers(String ready) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write("GET /__ready HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).contains(ready);
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static Path binary() {
    String configured = System.getProperty("ferry.nginx");
    List<Path> candidates = new ArrayList<>();
    if (configured != null && !configured.isBlank()) {
      candidates.add(Path.of(configured));
    }
    candidates.add(Path.of(DEFAULT_BINARY));
    String path = System.getenv().getOrDefault("PATH", "");
    for (String entry : path.split(java.io.File.pathSeparator)) {
      if (!entry.isEmpty()) {
        candidates.add(Path.of(entry, "nginx"));
      }
    }
    return candidates.stream().filter(Files::isExecutable).findFirst().orElseThrow(() ->
        new IllegalStateException("nginx is not installed (looked for " + DEFAULT_BINARY
            + " and nginx on the PATH); install it with: apt-get install -y nginx-light "
            + "(it must have the WebDAV module), or point -Dferry.nginx at it"));
  }

  private static String config(Builder builder, Path dir, int port, String ready) {
    String dav = "dav_methods PUT DELETE MOVE; create_full_put_path on;";
    StringBuilder locations = new StringBuilder();
    locations.append("    location = /__ready { return 200 \"").append(ready).append("\"; }\n");
    locations.append("    location ").append(DAV).append(" { ").append(dav).append(" }\n");
    locations.append("    location ").append(DAV_NO_PARENTS)
        .append(" { dav_methods PUT DELETE; }\n");
    builder.basic.ifPresent(up -> locations.append("    location ").append(BASIC)
        .append(" { auth_basic \"ferry\"; auth_basic_user_file \"")
        .append(dir.resolve("htpasswd")).append("\"; ").append(dav).append(" }\n"));
    builder.bearer.ifPresent(token -> locations.append("    location ").append(BEARER)
        .append(" { if ($http_authorization != \"Bearer ").append(token)
        .append("\") { return 401; } ").append(dav).append(" }\n"));
    // Relative Location, so clients must resolve it against the request URI.
    locations.append("    location ~ ^").append(REDIRECT)
        .append("(.*)$ { absolute_redirect off; return 307 ").append(DAV).append("$1; }\n");
    locations.append("    location ").append(UNAVAILABLE).append(" { return 503; }\n");
    locations.append("    location ").append(PUT_UNAVAILABLE)
        .append(" { if ($request_method = PUT) { return 503; } }\n");
    // A named capture: the regex in the if would overwrite $1.
    locations.append("    location ~ ^").append(TAMPERED).append("(?<name>.*)$ { ")
        .append("if ($request_method ~ ^(GET|HEAD)$) { rewrite ^ ").append(TAMPERED_VIEW)
        .append("$name last; } ").append(dav).append(" }\n");
    locations.append("    location ").append(TAMPERED_VIEW).append(" { }\n");
    locations.append("    location ").append(READ_ONLY).append(" { }\n");
    locations.append("    location ").append(MISSING).append(" { return 404; }\n");
    // As root, workers would run as nobody and could not write into a private temp dir.
    String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
    return user
        + "worker_processes 1;\n"
        + "pid \"" + dir.resolve("nginx.pid") + "\";\n"
        + "error_log \"" + dir.resolve("logs/error.log") + "\" info;\n"
        + "events { worker_connections 256; }\n"
        + "http {\n"
        + "  access_log \"" + dir.resolve("logs/access.log") + "\";\n"
        + "  client_body_temp_path \"" + dir.resolve("tmp/body") + "\";\n"
        + "  proxy_temp_path \"" + dir.resolve("tmp/proxy") + "\";\n"
        + "  fastcgi_temp_path \"" + dir.resolve("tmp/fastcgi") + "\";\n"
        + "  uwsgi_temp_path \"" + dir.resolve("tmp/uwsgi") + "\";\n"
        + "  scgi_temp_path \"" + dir.resolve("tmp/scgi") + "\";\n"
        + "  default_type application/octet-stream;\n"
        + "  server {\n"
        + "    listen 127.0.0.1:" + port + ";\n"
        + "    root \"" + dir.resolve("root") + "\";\n"
        + "    client_max_body_size 0;\n"
        + locations
        + "  }\n"
        + "}\n";
  }

  private static String log(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
