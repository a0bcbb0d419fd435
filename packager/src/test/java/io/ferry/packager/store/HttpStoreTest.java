package io.ferry.packager.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.packager.store.StoreException.Kind;
import io.ferry.packager.testing.NginxServer;
import io.ferry.packager.testing.ScriptedHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HttpStore} against a real nginx with WebDAV PUT ({@link NginxServer}), started on a free
 * loopback port for each test and stopped after it, whatever happened.
 */
class HttpStoreTest {

  private static final long MB = 1 << 20;
  private static final String USER = "alice";
  private static final String PASSWORD = "s3cret-Pa55word";
  private static final String TOKEN = "tok-0123456789abcdef";
  private static final RetryPolicy FAST_RETRY =
      new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5));

  @TempDir Path tmp;

  private NginxServer nginx;
  private Path files;

  @BeforeEach
  void startNginx() throws IOException {
    files = Files.createDirectories(tmp.resolve("files"));
    nginx = NginxServer.builder().basicAuth(USER, PASSWORD).bearerToken(TOKEN)
        .start(tmp.resolve("nginx"));
  }

  @AfterEach
  void stopNginx() {
    if (nginx != null) {
      nginx.close();
    }
  }

  @Test
  @Timeout(60)
  void putSizeOpenDeleteRoundTrip() throws IOException {
    Path source = randomFile("pkg.tgz", 3 * MB + 17, 1);
    URI uri = nginx.uri(NginxServer.DAV + "releases/1.0/pkg.tgz");
    HttpStore store = store(HttpOptions.DEFAULTS, FAST_RETRY);

    assertThat(store.size(uri)).isEmpty();
    store.put(source, uri, false, TransferListener.NONE);

    assertThat(store.size(uri)).isEqualTo(OptionalLong.of(Files.size(source)));
    try (InputStream in = store.open(uri)) {
      assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(source));
    }
    assertThat(Files.mismatch(source, nginx.file(NginxServer.DAV + "releases/1.0/pkg.tgz")))
        .isEqualTo(-1);
    assertThat(store.delete(uri)).isTrue();
    assertThat(store.size(uri)).isEmpty();
    assertThat(store.delete(uri)).isFalse();
    StoreException missing = failure(() -> store.open(uri));
    assertThat(missing.kind()).isEqualTo(Kind.NOT_FOUND);
  }

  @Test
  @Timeout(120)
  void largeUploadReportsProgressWhileSending() throws IOException {
    Path source = randomFile("big.tgz", 50 * MB, 2);
    RecordingListener listener = new RecordingListener();

    store(HttpOptions.DEFAULTS, FAST_RETRY)
        .put(source, nginx.uri(NginxServer.DAV + "big.tgz"), false, listener);

    assertThat(listener.startedTotal).isEqualTo(Files.size(source));
    assertThat(listener.total()).isEqualTo(Files.size(source));
    // Many small reports while the body streams, not one at the end.
    assertThat(listener.reports).hasSizeGreaterThan(50);
    assertThat(listener.reports.get(0)).isLessThan(Files.size(source) / 10);
    assertThat(listener.finished).isTrue();
    assertThat(Files.mismatch(source, nginx.file(NginxServer.DAV + "big.tgz"))).isEqualTo(-1);
  }

  @Test
  @Timeout(60)
  void refusesToOverwriteUnlessAsked() throws IOException {
    Path first = randomFile("first", 100_000, 3);
    Path second = randomFile("second", 200_000, 4);
    URI uri = nginx.uri(NginxServer.DAV + "pkg.tgz.sha512");
    HttpStore store = store(HttpOptions.DEFAULTS, FAST_RETRY);
    store.put(first, uri, false, TransferListener.NONE);

    StoreException refused = failure(() -> store.put(second, uri, false, TransferListener.NONE));

    assertThat(refused.kind()).isEqualTo(Kind.ALREADY_EXISTS);
    assertThat(refused.getMessage()).endsWith("; pass --overwrite to replace it");
    Path stored = nginx.file(NginxServer.DAV + "pkg.tgz.sha512");
    assertThat(Files.mismatch(first, stored)).isEqualTo(-1);

    store.put(second, uri, true, TransferListener.NONE);
    assertThat(Files.mismatch(second, stored)).isEqualTo(-1);
  }

  @Test
  @Timeout(60)
  void basicAuthWithTheRightPassword() throws IOException {
    Path source = randomFile("a.tgz", 300_000, 5);
    HttpStore store = store(basic(PASSWORD), FAST_RETRY);

    store.put(source, nginx.uri(NginxServer.BASIC + "a.tgz"), false, TransferListener.NONE);

    assertThat(Files.mismatch(source, nginx.file(NginxServer.BASIC + "a.tgz"))).isEqualTo(-1);
  }

  @Test
  @Timeout(60)
  void basicAuthWithAWrongPasswordFailsWithAuthAndNoSecretInTheMessage() throws IOException {
    Path source = randomFile("a.tgz", 300_000, 6);
    String wrong = "wrong-Pa55word";
    HttpStore store = store(basic(wrong), FAST_RETRY);
    URI uri = nginx.uri(NginxServer.BASIC + "a.tgz");

    StoreException e = failure(() -> store.put(source, uri, false, TransferListener.NONE));

    assertThat(e.kind()).isEqualTo(Kind.AUTH);
    assertThat(e.getMessage()).contains("401", "--http-user", "FERRY_HTTP_PASSWORD")
        .doesNotContain(wrong).doesNotContain(PASSWORD)
        .doesNotContain(Base64.getEncoder().encodeToString(
            (USER + ":" + wrong).getBytes(StandardCharsets.UTF_8)));
    assertThat(nginx.file(NginxServer.BASIC + "a.tgz")).doesNotExist();
    assertThat(nginx.requests("PUT", NginxServer.BASIC)).isZero();
  }

  @Test
  @Timeout(60)
  void bearerTokenGoodAndBad() throws IOException {
    Path source = randomFile("b.tgz", 300_000, 7);
    URI uri = nginx.uri(NginxServer.BEARER + "b.tgz");

    StoreException e = failure(() -> store(bearer("not-" + TOKEN), FAST_RETRY)
        .put(source, uri, false, TransferListener.NONE));
    assertThat(e.kind()).isEqualTo(Kind.AUTH);
    assertThat(e.getMessage()).contains("FERRY_HTTP_TOKEN").doesNotContain(TOKEN);
    assertThat(nginx.file(NginxServer.BEARER + "b.tgz")).doesNotExist();

    store(bearer(TOKEN), FAST_RETRY).put(source, uri, false, TransferListener.NONE);
    assertThat(Files.mismatch(source, nginx.file(NginxServer.BEARER + "b.tgz"))).isEqualTo(-1);
  }

  @Test
  @Timeout(60)
  void followsA307RedirectWithTheBody() throws Exception {
    Path source = randomFile("r.tgz", 2 * MB, 8);
    RecordingListener listener = new RecordingListener();
    HttpStore store = store(HttpOptions.DEFAULTS, FAST_RETRY);
    URI uri = nginx.uri(NginxServer.REDIRECT + "sub/r.tgz");

    store.put(source, uri, false, listener);

    assertThat(Files.mismatch(source, nginx.file(NginxServer.DAV + "sub/r.tgz"))).isEqualTo(-1);
    assertThat(nginx.file(NginxServer.REDIRECT + "sub/r.tgz")).doesNotExist();
    assertThat(nginx.awaitRequests("PUT", NginxServer.DAV + "sub/r.tgz", 1,
        Duration.ofSeconds(10))).isEqualTo(1);
    // The body may go out twice (before and after the redirect); progress counts it once.
    assertThat(listener.total()).isEqualTo(Files.size(source));
    assertThat(store.size(uri)).isEqualTo(OptionalLong.of(Files.size(source)));
  }

  @Test
  @Timeout(60)
  void retries503ThenFailsAsTransient() throws Exception {
    Path source = randomFile("t.tgz", 500_000, 9);
    HttpStore store = store(HttpOptions.DEFAULTS, FAST_RETRY);

    StoreException put = failure(() -> store.put(source,
        nginx.uri(NginxServer.PUT_UNAVAILABLE + "t.tgz"), false, TransferListener.NONE));
    StoreException stat = failure(() -> store.size(nginx.uri(NginxServer.UNAVAILABLE + "t.tgz")));

    assertThat(put.kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(put.getMessage()).contains("HTTP 503");
    assertThat(stat.kind()).isEqualTo(Kind.TRANSIENT);
    Duration wait = Duration.ofSeconds(10);
    assertThat(nginx.awaitRequests("PUT", NginxServer.PUT_UNAVAILABLE, 3, wait)).isEqualTo(3);
    assertThat(nginx.awaitRequests("HEAD", NginxServer.UNAVAILABLE, 3, wait)).isEqualTo(3);
  }

  @Test
  @Timeout(30)
  void closedPortIsUnreachableAndFailsFast() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    URI uri = URI.create("http://127.0.0.1:" + port + "/dav/x.tgz");
    Path source = randomFile("x.tgz", 1000, 10);
    HttpStore store = store(HttpOptions.DEFAULTS, FAST_RETRY);
    long start = System.nanoTime();

    StoreException put = failure(() -> store.put(source, uri, true, TransferListener.NONE));
    StoreException stat = failure(() -> store.size(uri));

    assertThat(put.kind()).isEqualTo(Kind.UNREACHABLE);
    assertThat(put.getMessage()).contains("cannot connect to 127.0.0.1:" + port);
    assertThat(stat.kind()).isEqualTo(Kind.UNREACHABLE);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  @Timeout(120)
  void serverKilledMidUploadLeavesNoObject() throws IOException {
    Path source = randomFile("huge.tgz", 100 * MB, 11);
    AtomicBoolean killed = new AtomicBoolean();
    RecordingListener listener = new RecordingListener() {
      @Override
      public void transferred(long bytes) {
        super.transferred(bytes);
        if (total() >= 20 * MB && killed.compareAndSet(false, true)) {
          nginx.kill();
        }
      }
    };
    HttpStore store = store(HttpOptions.DEFAULTS, FAST_RETRY);

    StoreException e = failure(() -> store.put(source,
        nginx.uri(NginxServer.DAV + "huge.tgz"), false, listener));

    assertThat(killed).isTrue();
    assertThat(nginx.isAlive()).isFalse();
    assertThat(e.kind()).isIn(Kind.TRANSIENT, Kind.UNREACHABLE);
    assertThat(listener.total()).isLessThan(Files.size(source));
    assertThat(listener.finished).isFalse();
    assertThat(nginx.file(NginxServer.DAV + "huge.tgz")).doesNotExist();
    assertThat(nginx.file(NginxServer.DAV)).doesNotExist();
  }

  @Test
  @Timeout(60)
  void putWhereTheServerDoesNotAcceptItIsRejectedWithTheDavHint() throws Exception {
    Path source = randomFile("s.tgz", 1000, 12);
    HttpStore store = store(HttpOptions.DEFAULTS, FAST_RETRY);

    for (String location : List.of(NginxServer.READ_ONLY, NginxServer.MISSING)) {
      StoreException e = failure(() -> store.put(source,
          nginx.uri(location + "s.tgz"), true, TransferListener.NONE));
      assertThat(e.kind()).as(location).isEqualTo(Kind.REJECTED);
      assertThat(e.getMessage()).as(location)
          .contains("dav_methods PUT", "create_full_put_path");
      assertThat(nginx.awaitRequests("PUT", location, 1, Duration.ofSeconds(10)))
          .as("not retried").isEqualTo(1);
    }
    StoreException missingParent = failure(() -> store.put(source,
        nginx.uri(NginxServer.DAV_NO_PARENTS + "no/such/dir/s.tgz"), false,
        TransferListener.NONE));
    // nginx reports a missing parent as 500 (its rename fails), not 409: a passing failure.
    assertThat(missingParent.kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(missingParent.getMessage()).contains("HTTP 500", "create_full_put_path");
  }

  @Test
  @Timeout(60)
  void storedObjectThatReadsBackDifferentlyIsCorruptAndDeleted() throws IOException {
    Path source = randomFile("v.tgz", 400_000, 13);
    HttpStore store = store(HttpOptions.DEFAULTS, FAST_RETRY);
    URI uri = nginx.uri(NginxServer.TAMPERED + "v.tgz");
    Path view = nginx.file(NginxServer.TAMPERED_VIEW + "v.tgz");
    Path stored = nginx.file(NginxServer.TAMPERED + "v.tgz");

    // Same size, other bytes: only the checksum can tell.
    Files.copy(randomFile("decoy", 400_000, 14), view);
    StoreException digest = failure(() -> store.put(source, uri, true, TransferListener.NONE));
    assertThat(digest.kind()).isEqualTo(Kind.CORRUPT);
    assertThat(digest.getMessage()).contains("CRC-32C", HttpBodies.checksum(source).crc32c());
    assertThat(stored).doesNotExist();

    Files.write(view, new byte[10]);
    StoreException size = failure(() -> store.put(source, uri, true, TransferListener.NONE));
    assertThat(size.kind()).isEqualTo(Kind.CORRUPT);
    assertThat(size.getMessage()).contains("10 bytes, expected 400000");
    assertThat(stored).doesNotExist();
  }

  @Test
  @Timeout(60)
  void stalledUploadTimesOutInsteadOfHanging() throws IOException {
    Path source = randomFile("stall.tgz", 64 * MB, 15);
    HttpOptions options = new HttpOptions(Optional.empty(), Optional.empty(), Optional.empty(),
        Duration.ofSeconds(5), Duration.ofSeconds(1), 5);
    // Says "absent" to a HEAD, then never reads the PUT body nor answers.
    try (ScriptedHttpServer server = new ScriptedHttpServer((exchange, self) -> {
      if (exchange.getRequestMethod().equals("HEAD")) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        self.released();
      }
    })) {
      long start = System.nanoTime();

      StoreException e = failure(() -> store(options, RetryPolicy.NONE)
          .put(source, server.uri("/dav/stall.tgz"), false, TransferListener.NONE));

      assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
      assertThat(e.getMessage()).contains("timed out", "nothing sent or received for 1 s");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }
  }

  @Test
  @Timeout(60)
  void partialObjectLeftByAFailedPutIsDeleted() throws IOException {
    Path source = randomFile("p.tgz", 5 * MB, 16);
    AtomicLong kept = new AtomicLong(-1);
    AtomicInteger deletes = new AtomicInteger();
    // Keeps the first megabyte of the body, then fails: what nginx never does, others may.
    try (ScriptedHttpServer server = new ScriptedHttpServer((exchange, self) -> {
      switch (exchange.getRequestMethod()) {
        case "HEAD" -> {
          if (kept.get() < 0) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            ScriptedHttpServer.headFound(exchange, kept.get(), "\"partial\"");
          }
        }
        case "PUT" -> {
          kept.set(exchange.getRequestBody().readNBytes((int) MB).length);
          exchange.sendResponseHeaders(500, -1);
        }
        case "DELETE" -> {
          deletes.incrementAndGet();
          kept.set(-1);
          exchange.sendResponseHeaders(204, -1);
        }
        default -> exchange.sendResponseHeaders(405, -1);
      }
    })) {
      StoreException e = failure(() -> store(HttpOptions.DEFAULTS, RetryPolicy.NONE)
          .put(source, server.uri("/dav/p.tgz"), false, TransferListener.NONE));

      assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
      assertThat(deletes).hasValue(1);
      assertThat(kept).hasValue(-1);
    }
  }

  @Test
  @Timeout(60)
  void previousObjectSurvivingAFailedOverwriteIsKept() throws IOException {
    Path source = randomFile("k.tgz", 2 * MB, 17);
    AtomicInteger deletes = new AtomicInteger();
    // An old 5-byte version that a failing PUT leaves untouched.
    try (ScriptedHttpServer server = new ScriptedHttpServer((exchange, self) -> {
      switch (exchange.getRequestMethod()) {
        case "HEAD" -> ScriptedHttpServer.headFound(exchange, 5, "\"v1\"");
        case "PUT" -> {
          exchange.getRequestBody().readNBytes(64 * 1024);
          exchange.sendResponseHeaders(503, -1);
        }
        case "DELETE" -> {
          deletes.incrementAndGet();
          exchange.sendResponseHeaders(204, -1);
        }
        default -> exchange.sendResponseHeaders(405, -1);
      }
    })) {
      StoreException e = failure(() -> store(HttpOptions.DEFAULTS, FAST_RETRY)
          .put(source, server.uri("/dav/k.tgz"), true, TransferListener.NONE));

      assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
      assertThat(deletes).hasValue(0);
    }
  }

  @Test
  @Timeout(30)
  void credentialsInTheUrlAreRefusedWithoutEchoingThem() {
    HttpStore store = store(HttpOptions.DEFAULTS, FAST_RETRY);
    URI uri = URI.create("http://bob:hunter2@127.0.0.1:" + nginx.port() + "/dav/x.tgz");

    assertThatThrownBy(() -> store.size(uri))
        .isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.BAD_URI);
          assertThat(e.getMessage()).doesNotContain("hunter2").doesNotContain("bob");
        });
  }

  /** The StoreException {@code call} throws; fails the test if it throws none. */
  private static StoreException failure(ThrowingCallable call) {
    StoreException e = catchThrowableOfType(StoreException.class, call);
    assertThat(e).as("a StoreException").isNotNull();
    return e;
  }

  private static HttpStore store(HttpOptions options, RetryPolicy retry) {
    return new HttpStore(options, retry);
  }

  private static HttpOptions basic(String password) {
    return new HttpOptions(Optional.of(USER), Optional.of(password), Optional.empty(),
        Duration.ofSeconds(5), Duration.ofSeconds(30), 5);
  }

  private static HttpOptions bearer(String token) {
    return new HttpOptions(Optional.empty(), Optional.empty(), Optional.of(token),
        Duration.ofSeconds(5), Duration.ofSeconds(30), 5);
  }

  /** A file of reproducible random bytes. */
  private Path randomFile(String name, long size, long seed) throws IOException {
    Path file = files.resolve(name);
    Random random = new Random(seed);
    byte[] buf = new byte[(int) Math.min(size, MB)];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; left -= buf.length) {
        random.nextBytes(buf);
        out.write(buf, 0, (int) Math.min(left, buf.length));
      }
    }
    return file;
  }

  /** Remembers every call; the reports are running totals. */
  private static class RecordingListener implements TransferListener {

    final List<Long> reports = new ArrayList<>();
    volatile long startedTotal = -2;
    volatile Boolean finished;
    private long total;

    @Override
    public void started(String what, long totalBytes) {
      startedTotal = totalBytes;
    }

    @Override
    public synchronized void transferred(long bytes) {
      total += bytes;
      reports.add(total);
    }

    @Override
    public void finished(boolean success) {
      finished = success;
    }

    synchronized long total() {
      return total;
    }
  }
}
