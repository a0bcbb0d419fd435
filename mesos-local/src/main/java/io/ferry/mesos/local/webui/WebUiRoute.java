package io.ferry.mesos.local.webui;

import io.ferry.mesos.local.http.HttpResponses;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The master's web UI: {@code /} (and {@code /index.html}) and its assets under {@code /static/},
 * read once from this package's class path resources, so serving never blocks the event loop.
 *
 * <p>An asset is looked up by a bare name ({@code [a-z0-9-]+} and a known extension) in a fixed
 * table: a path with a {@code /}, {@code ..}, {@code %2e} or any other name is simply not in it
 * and gets a 404, so nothing outside the UI's own files can be reached. The page only reads
 * endpoints (the master's {@code /master/state} and operator API, each agent's state and files
 * through {@code jsonp}); the Content-Security-Policy forbids inline script, so a string from the
 * state that somehow reached the DOM as markup still could not run.
 */
public final class WebUiRoute {

  /** Names of the assets served under {@code /static/}, in this package on the class path. */
  static final List<String> ASSETS = List.of("style.css", "dom.js", "jsonp.js", "views.js", "tail.js", "app.js");

  private static final String STATIC = "/static/";
  private static final Pattern ASSET_NAME = Pattern.compile("[a-z0-9-]+\\.(html|js|css)");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8");
  // Scripts from this origin and, for jsonp, from agents (any http(s) host: agents register with
  // their own hostname and port). No inline script, no plugins, no framing.
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self' http: https:; "
      + "style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
      + "frame-ancestors 'none'";

  private final byte[] index;
  private final Map<String, byte[]> assets;

  private WebUiRoute(byte[] index, Map<String, byte[]> assets) {
    this.index = index;
    this.assets = assets;
  }

  /** Reads the page and its assets; a missing one is a packaging error and fails the master's start. */
  public static WebUiRoute load() {
    Map<String, byte[]> assets = new LinkedHashMap<>();
    for (String name : ASSETS) {
      assets.put(name, resource(name));
    }
    return new WebUiRoute(resource("index.html"), Map.copyOf(assets));
  }

  /** Whether {@code path} (decoded, without query) belongs to the UI rather than to an API. */
  public static boolean handles(String path) {
    return path.equals("/") || path.equals("/index.html") || path.startsWith(STATIC);
  }

  /** Answers a request for {@code path}; {@link #handles} must be true for it. Any thread. */
  public void serve(Channel channel, HttpMethod method, String path, boolean keepAlive) {
    if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
      write(channel, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
          ("Expecting 'GET' or 'HEAD', received '" + method.name() + "'").getBytes(StandardCharsets.UTF_8),
          Map.of("Allow", "GET, HEAD"), method, keepAlive);
      return;
    }
    if (path.equals("/") || path.equals("/index.html")) {
      write(channel, HttpResponseStatus.OK, TYPES.get("html"), index, securityHeaders(), method, keepAlive);
      return;
    }
    String name = path.substring(STATIC.length());
    byte[] body = ASSET_NAME.matcher(name).matches() ? assets.get(name) : null;
    if (body == null) {
      write(channel, HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8",
          "No such file in the web UI; the page is at /".getBytes(StandardCharsets.UTF_8), Map.of(), method, keepAlive);
      return;
    }
    String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
    write(channel, HttpResponseStatus.OK, type, body, securityHeaders(), method, keepAlive);
  }

  private static Map<String, String> securityHeaders() {
    return Map.of("Content-Security-Policy", CONTENT_SECURITY_POLICY, "X-Content-Type-Options", "nosniff",
        "Referrer-Policy", "no-referrer", "Cache-Control", "no-cache");
  }

  private static void write(Channel channel, HttpResponseStatus status, String type, byte[] body,
      Map<String, String> headers, HttpMethod method, boolean keepAlive) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put(HttpHeaderNames.CONTENT_TYPE.toString(), type);
    HttpResponses.write(channel, status, body, !method.equals(HttpMethod.HEAD), all, keepAlive);
  }

  private static byte[] resource(String name) {
    try (InputStream in = WebUiRoute.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("web UI asset " + name + " is missing from the class path (expected beside "
            + WebUiRoute.class.getName() + "); check that the mesos-local jar was built with its resources");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading web UI asset " + name, e);
    }
  }
}
