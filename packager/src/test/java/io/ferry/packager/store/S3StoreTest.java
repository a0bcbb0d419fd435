package io.ferry.packager.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ferry.packager.store.StoreException.Kind;
import io.ferry.packager.testing.S3ProxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@link S3Store} against a real S3 API: an in-process S3Proxy on loopback with on-disk storage
 * ({@link S3ProxyServer}). Covers round trips, multipart uploads, overwrite rules, the error kinds
 * users see (auth, missing bucket, unreachable endpoint) and that failed multipart uploads never
 * publish an object.
 */
class S3StoreTest {

  private static final long MIB = 1024 * 1024;
  private static final String BUCKET = "ferry-dist";

  /** Fails fast: tests that expect failures should not wait through production backoff. */
  private static final RetryPolicy FAST =
      new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5));

  @TempDir
  Path tmp;

  private S3ProxyServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = S3ProxyServer.start(tmp.resolve("s3proxy"), BUCKET);
  }

  @AfterEach
  void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void smallPutRoundTrips() throws Exception {
    Path file = randomFile("ferry-1.0.tgz", 300_000, 1);
    URI uri = uri("s3", "releases/ferry-1.0.tgz");
    RecordingListener listener = new RecordingListener();

    try (S3Store store = store(defaultOptions())) {
      assertThat(store.size(uri)).isEmpty();
      store.put(file, uri, false, listener);

      assertThat(store.size(uri)).hasValue(Files.size(file));
      try (InputStream in = store.open(uri)) {
        assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(file));
      }
    }
    assertThat(listener.started).isEqualTo(Files.size(file));
    assertThat(listener.transferred.get()).isEqualTo(Files.size(file));
    assertThat(listener.outcome).contains(true);
    assertThat(server.contentType("releases/ferry-1.0.tgz")).contains("application/gzip");
    assertThat(eTag("releases/ferry-1.0.tgz")).as("one PUT, not multipart").doesNotContain("-");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void checksumFilesAreTextPlain() throws Exception {
    Path file = tmp.resolve("ferry-1.0.tgz.sha512");
    Files.writeString(file, "abc123  ferry-1.0.tgz\n");
    try (S3Store store = store(defaultOptions())) {
      store.put(file, uri("s3", "ferry-1.0.tgz.sha512"), false, TransferListener.NONE);
    }
    assertThat(server.contentType("ferry-1.0.tgz.sha512")).contains("text/plain");
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void largeFileGoesUpInPartsAndComesBackIntact() throws Exception {
    // 6 full parts and a ragged seventh.
    Path file = randomFile("big.tgz", 30 * MIB + 12_345, 2);
    URI uri = uri("s3a", "big/big.tgz");
    RecordingListener listener = new RecordingListener();

    try (S3Store store = store(server.options(8 * MIB, 5 * MIB))) {
      store.put(file, uri, false, listener);

      assertThat(store.size(uri)).hasValue(Files.size(file));
      try (InputStream in = store.open(uri)) {
        assertThat(sha512(in)).isEqualTo(sha512(file));
      }
    }
    assertThat(listener.started).isEqualTo(Files.size(file));
    assertThat(listener.transferred.get()).isEqualTo(Files.size(file));
    assertThat(listener.calls.get()).as("progress is reported while bytes go out").isGreaterThan(7);
    assertThat(listener.outcome).contains(true);
    assertThat(server.contentType("big/big.tgz")).contains("application/gzip");
    // A multipart object's ETag ends in "-<number of parts>".
    assertThat(eTag("big/big.tgz")).endsWith("-7\"");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void refusesToOverwriteUnlessAsked() throws Exception {
    Path first = tmp.resolve("v1");
    Path second = tmp.resolve("v2");
    Files.writeString(first, "first");
    Files.writeString(second, "second, longer");
    URI uri = uri("s3", "ferry.tgz");

    try (S3Store store = store(defaultOptions())) {
      store.put(first, uri, false, TransferListener.NONE);

      assertThatThrownBy(() -> store.put(second, uri, false, TransferListener.NONE))
          .isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.ALREADY_EXISTS);
            assertThat(e.getMessage()).endsWith("; pass --overwrite to replace it");
          });
      assertThat(read(store, uri)).isEqualTo("first");

      store.put(second, uri, true, TransferListener.NONE);
      assertThat(read(store, uri)).isEqualTo("second, longer");
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void wrongSecretIsAnAuthErrorThatDoesNotLeakTheSecret() throws Exception {
    String wrongSecret = "wr0ng-s3cret-must-not-leak";
    Path file = randomFile("f.tgz", 1000, 3);
    URI uri = uri("s3", "f.tgz");

    try (S3Store store = store(server.options(wrongSecret, 64 * MIB, 16 * MIB))) {
      for (ThrowingCall call : List.<ThrowingCall>of(
          () -> store.put(file, uri, false, TransferListener.NONE),
          () -> store.open(uri).close(),
          () -> store.size(uri))) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.AUTH);
          assertThat(e.getMessage()).contains("--s3-access-key").contains("FERRY_S3_SECRET_KEY");
          assertThat(stackTraceOf(e)).doesNotContain(wrongSecret)
              .doesNotContain(S3ProxyServer.SECRET_KEY);
        });
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void missingBucketIsNotFoundAndNamed() throws Exception {
    Path file = randomFile("f.tgz", 1000, 4);
    URI uri = URI.create("s3://no-such-bucket/ferry.tgz");

    try (S3Store store = store(defaultOptions())) {
      for (ThrowingCall call : List.<ThrowingCall>of(
          () -> store.size(uri),
          () -> store.open(uri).close(),
          () -> store.put(file, uri, false, TransferListener.NONE))) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
          assertThat(e.getMessage()).contains("bucket 'no-such-bucket' does not exist");
        });
      }
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void missingObjectIsNotFoundOnOpen() throws Exception {
    try (S3Store store = store(defaultOptions())) {
      assertThatThrownBy(() -> store.open(uri("s3", "nothing-here.tgz")))
          .isInstanceOfSatisfying(StoreException.class,
              e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
      assertThat(store.delete(uri("s3", "nothing-here.tgz"))).isFalse();
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void closedPortIsUnreachableAndFailsFast() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    S3Options options = new S3Options(Optional.of(URI.create("http://127.0.0.1:" + closedPort)),
        Optional.of("us-east-1"), true, Optional.of("a"), Optional.of("b"), Optional.empty(),
        64 * MIB, 16 * MIB);

    long start = System.nanoTime();
    try (S3Store store = new S3Store(options, FAST)) {
      assertThatThrownBy(() -> store.size(uri("s3", "x.tgz")))
          .isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).contains("127.0.0.1:" + closedPort);
          });
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void allThreeSchemesNameTheSameObject() throws Exception {
    Path file = randomFile("f.tgz", 5000, 5);
    try (S3Store store = store(defaultOptions())) {
      store.put(file, uri("s3n", "schemes/f.tgz"), false, TransferListener.NONE);

      for (String scheme : List.of("s3", "s3a", "s3n")) {
        assertThat(store.size(uri(scheme, "schemes/f.tgz"))).as(scheme).hasValue(5000);
        try (InputStream in = store.open(uri(scheme, "schemes/f.tgz"))) {
          assertThat(in.readAllBytes()).as(scheme).isEqualTo(Files.readAllBytes(file));
        }
      }
      assertThatThrownBy(() -> store.put(file, uri("s3", "schemes/f.tgz"), false,
          TransferListener.NONE)).isInstanceOfSatisfying(StoreException.class,
              e -> assertThat(e.kind()).isEqualTo(Kind.ALREADY_EXISTS));

      assertThat(store.delete(uri("s3a", "schemes/f.tgz"))).isTrue();
      assertThat(store.size(uri("s3", "schemes/f.tgz"))).isEmpty();
      assertThat(store.delete(uri("s3n", "schemes/f.tgz"))).isFalse();
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void urisWithoutBucketOrKeyAreBadUris() {
    try (S3Store store = store(defaultOptions())) {
      for (String bad : List.of("s3:///key.tgz", "s3://bucket", "s3://bucket/", "s3a://bucket/dir/",
          "s3://user:secret@bucket/key")) {
        assertThatThrownBy(() -> store.size(URI.create(bad)))
            .as(bad)
            .isInstanceOfSatisfying(StoreException.class, e -> {
              assertThat(e.kind()).isEqualTo(Kind.BAD_URI);
              assertThat(e.getMessage()).doesNotContain("secret@");
            });
      }
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void serverDyingMidMultipartPublishesNothing() throws Exception {
    Path file = randomFile("big.tgz", 30 * MIB, 6);
    URI uri = uri("s3", "crash/big.tgz");
    ServerKiller killer = new ServerKiller(10 * MIB);

    try (S3Store store = new S3Store(server.options(8 * MIB, 5 * MIB), FAST)) {
      assertThatThrownBy(() -> store.put(file, uri, false, killer))
          .isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.kind()).isIn(Kind.UNREACHABLE, Kind.TRANSIENT);
            assertThat(killer.outcome).contains(false);
            // The abort could not reach the dead server either: the operator is told what to clean.
            assertThat(e.getMessage()).contains("aborting the multipart upload also failed")
                .contains("upload id");
          });
      String message = catchMessage(() -> store.put(file, uri, false, TransferListener.NONE));
      assertThat(message).as("still down").contains("cannot connect");

      server.start();
      assertThat(store.size(uri)).isEmpty();
      assertThat(server.blobExists("crash/big.tgz")).isFalse();
    }
    assertThat(killer.sent.get()).isLessThan(30 * MIB);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void leftoverUploadIsNamedSoAnOperatorCanAbortIt() throws Exception {
    Path file = randomFile("big.tgz", 20 * MIB, 7);
    URI uri = uri("s3", "crash/named.tgz");
    ServerKiller killer = new ServerKiller(7 * MIB);

    String message;
    try (S3Store store = new S3Store(server.options(8 * MIB, 5 * MIB), FAST)) {
      message = catchMessage(() -> store.put(file, uri, false, killer));
    }
    Matcher id = Pattern.compile("upload id (\\S+):").matcher(message);
    assertThat(id.find()).as(message).isTrue();

    server.start();
    try (S3Client s3 = server.newClient()) {
      assertThat(pendingUploads(s3)).extracting(MultipartUpload::uploadId).contains(id.group(1));
      s3.abortMultipartUpload(r -> r.bucket(BUCKET).key("crash/named.tgz").uploadId(id.group(1)));
      assertThat(pendingUploads(s3)).isEmpty();
    }
    assertThat(server.blobExists("crash/named.tgz")).isFalse();
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void interruptMidMultipartAbortsTheUpload() throws Exception {
    Path file = randomFile("big.tgz", 30 * MIB, 8);
    URI uri = uri("s3", "interrupted/big.tgz");
    Thread caller = Thread.currentThread();
    AtomicLong sent = new AtomicLong();
    TransferListener interrupter = new TransferListener() {
      @Override
      public void transferred(long bytes) {
        if (sent.addAndGet(bytes) >= 10 * MIB) {
          caller.interrupt();
        }
      }
    };

    try (S3Store store = store(server.options(8 * MIB, 5 * MIB))) {
      Throwable thrown;
      try {
        thrown = catchThrowable(() -> store.put(file, uri, false, interrupter));
      } finally {
        assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
      }
      assertThat(thrown).isInstanceOfSatisfying(StoreException.class, e -> {
        assertThat(e.kind()).isEqualTo(Kind.REJECTED);
        assertThat(e.getMessage()).contains("interrupted")
            .doesNotContain("aborting the multipart upload also failed");
      });

      assertThat(store.size(uri)).isEmpty();
    }
    assertThat(sent.get()).as("the part in flight ends, no further part starts")
        .isEqualTo(10 * MIB);
    assertThat(server.blobExists("interrupted/big.tgz")).isFalse();
    try (S3Client s3 = server.newClient()) {
      assertThat(pendingUploads(s3)).isEmpty();
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void classifiesServiceAndClientErrors() {
    S3Errors errors = new S3Errors(Optional.of(URI.create("http://s3.example:9000")));
    S3Location at = new S3Location("b", "k.tgz");
    URI uri = URI.create("s3://b/k.tgz");

    assertThat(errors.classify("upload", uri, at, service(400, "EntityTooLarge")).kind())
        .isEqualTo(Kind.NO_SPACE);
    assertThat(errors.classify("upload", uri, at, service(403, "QuotaExceeded")).kind())
        .isEqualTo(Kind.NO_SPACE);
    assertThat(errors.classify("upload", uri, at, service(503, "SlowDown")).kind())
        .isEqualTo(Kind.TRANSIENT);
    assertThat(errors.classify("upload", uri, at, service(500, "InternalError")).retryable())
        .isTrue();
    assertThat(errors.classify("read", uri, at, service(403, "AccessDenied")).kind())
        .isEqualTo(Kind.AUTH);
    assertThat(errors.classify("read", uri, at, service(404, "NoSuchBucket")).getMessage())
        .contains("bucket 'b' does not exist at http://s3.example:9000");
    StoreException rejected = errors.classify("upload", uri, at, service(400, "InvalidArgument"));
    assertThat(rejected.kind()).isEqualTo(Kind.REJECTED);
    assertThat(rejected.getMessage()).contains("InvalidArgument").contains("the message");

    StoreException noCredentials = errors.classify("read", uri, at, SdkClientException.create(
        "Unable to load credentials from any of the providers in the chain"));
    assertThat(noCredentials.kind()).isEqualTo(Kind.AUTH);
    assertThat(noCredentials.getMessage()).contains("AWS_ACCESS_KEY_ID");
    StoreException refused = errors.classify("read", uri, at, SdkClientException.create(
        "Unable to execute HTTP request", new ConnectException("Connection refused")));
    assertThat(refused.kind()).isEqualTo(Kind.UNREACHABLE);
    assertThat(refused.getMessage()).contains("http://s3.example:9000");
    assertThat(errors.classify("read", uri, at, SdkClientException.create("Unable to execute",
        new SocketException("Connection reset"))).kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(errors.classify("read", uri, at, SdkClientException.create(
        "Data read has a different checksum than expected. Was 0x1, but expected 0x2")).kind())
        .isEqualTo(Kind.CORRUPT);
  }

  // ---------------------------------------------------------------------------------------------

  @FunctionalInterface
  private interface ThrowingCall {
    void run() throws Exception;
  }

  /** Collects what a transfer reported. */
  private static final class RecordingListener implements TransferListener {
    volatile long started = -2;
    final AtomicLong transferred = new AtomicLong();
    final AtomicLong calls = new AtomicLong();
    volatile Optional<Boolean> outcome = Optional.empty();

    @Override
    public void started(String what, long totalBytes) {
      started = totalBytes;
    }

    @Override
    public void transferred(long bytes) {
      assertThat(bytes).isPositive();
      transferred.addAndGet(bytes);
      calls.incrementAndGet();
    }

    @Override
    public void finished(boolean success) {
      outcome = Optional.of(success);
    }
  }

  /** Stops the S3 server once {@code after} bytes have gone out: a crash mid-upload. */
  private final class ServerKiller implements TransferListener {
    private final long after;
    final AtomicLong sent = new AtomicLong();
    volatile Optional<Boolean> outcome = Optional.empty();

    ServerKiller(long after) {
      this.after = after;
    }

    @Override
    public void transferred(long bytes) {
      if (sent.addAndGet(bytes) >= after && server.isRunning()) {
        try {
          server.stop();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }

    @Override
    public void finished(boolean success) {
      outcome = Optional.of(success);
    }
  }

  private S3Options defaultOptions() {
    return server.options(64 * MIB, 16 * MIB);
  }

  private static S3Store store(S3Options options) {
    return new S3Store(options, FAST);
  }

  private static URI uri(String scheme, String key) {
    return URI.create(scheme + "://" + BUCKET + "/" + key);
  }

  private Path randomFile(String name, long size, long seed) throws IOException {
    Path file = tmp.resolve(name);
    Random random = new Random(seed);
    byte[] buf = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; left -= buf.length) {
        random.nextBytes(buf);
        out.write(buf, 0, (int) Math.min(buf.length, left));
      }
    }
    return file;
  }

  private static String read(ObjectStore store, URI uri) throws IOException {
    try (InputStream in = store.open(uri)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String sha512(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return sha512(in);
    }
  }

  private static String sha512(InputStream in) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-512");
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) > 0; ) {
        digest.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static String catchMessage(ThrowingCall call) {
    try {
      call.run();
    } catch (Exception e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a failure");
  }

  private static String stackTraceOf(Throwable e) {
    StringWriter out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  private String eTag(String key) {
    try (S3Client s3 = server.newClient()) {
      return s3.headObject(r -> r.bucket(BUCKET).key(key)).eTag();
    }
  }

  private List<MultipartUpload> pendingUploads(S3Client s3) {
    return s3.listMultipartUploads(r -> r.bucket(BUCKET)).uploads();
  }

  private static S3Exception service(int status, String code) {
    return (S3Exception) S3Exception.builder().statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("the message").build())
        .build();
  }
}
