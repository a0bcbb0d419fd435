package io.ferry.packager.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP server on a free loopback port whose every answer a test scripts, for behaviour a
 * real server cannot be made to show on demand: keeping half an upload, hanging mid-body. Use
 * {@link NginxServer} for everything else. Each request runs on its own thread, so a script
 * may block in {@link #released()} until {@link #close()}.
 */
public final class ScriptedHttpServer implements AutoCloseable {

  /** How the server answers one request. */
  @FunctionalInterface
  public interface Script {
    void answer(HttpExchange exchange, ScriptedHttpServer server) throws IOException;
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "scripted-http");
    t.setDaemon(true);
    return t;
  });
  private final CountDownLatch release = new CountDownLatch(1);

  public ScriptedHttpServer(Script script) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", exchange -> {
      try (exchange) {
        script.answer(exchange, this);
      }
    });
    server.setExecutor(threads);
    server.start();
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort()
        + (path.startsWith("/") ? path : "/" + path));
  }

  /** Blocks a handler until the server closes: a server that stopped reading or answering. */
  public void released() {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Answers a HEAD with a size and an ETag, as a server does for a stored object. */
  public static void headFound(HttpExchange exchange, long length, String etag)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
    exchange.getResponseHeaders().set("ETag", etag);
    exchange.sendResponseHeaders(200, -1);
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
