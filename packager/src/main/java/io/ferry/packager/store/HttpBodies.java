package io.ferry.packager.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * Response bodies an {@link HttpStore} reads without holding them in memory: the start of an
 * error page (the rest is drained and dropped) and the SHA-256 of a stored object.
 */
final class HttpBodies {

  /** Error pages are kept up to this many bytes; enough for a message excerpt. */
  static final int SNIPPET_BYTES = 4096;

  private HttpBodies() {}

  /** The size and SHA-256 of some bytes. */
  record Digest(long bytes, String sha256) {}

  /** The first {@link #SNIPPET_BYTES} of the body as text. */
  static BodySubscriber<String> snippet() {
    return BodySubscribers.fromSubscriber(new Snippet(), Snippet::text);
  }

  /** Hashes the body as it streams in, touching {@code watch} on every chunk. */
  static BodySubscriber<Digest> sha256(IdleWatch watch) {
    return BodySubscribers.fromSubscriber(new Hashing(watch), Hashing::digest);
  }

  /** The size and SHA-256 of a local file. */
  static Digest sha256(Path file) throws IOException {
    MessageDigest md = newSha256();
    long bytes = 0;
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
        bytes += n;
      }
    }
    return new Digest(bytes, HexFormat.of().formatHex(md.digest()));
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Keeps the head of the body, drains the rest. */
  private static final class Snippet implements Flow.Subscriber<List<ByteBuffer>> {

    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer b : items) {
        int n = Math.min(b.remaining(), SNIPPET_BYTES - kept.size());
        if (n > 0) {
          byte[] chunk = new byte[n];
          b.get(chunk);
          kept.write(chunk, 0, n);
        }
      }
    }

    @Override
    public void onError(Throwable throwable) {}

    @Override
    public void onComplete() {}

    String text() {
      return kept.toString(StandardCharsets.UTF_8);
    }
  }

  /** Feeds every byte of the body to SHA-256. */
  private static final class Hashing implements Flow.Subscriber<List<ByteBuffer>> {

    private final MessageDigest md = newSha256();
    private final IdleWatch watch;
    private long bytes;

    Hashing(IdleWatch watch) {
      this.watch = watch;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer b : items) {
        bytes += b.remaining();
        md.update(b);
      }
      watch.touch();
    }

    @Override
    public void onError(Throwable throwable) {}

    @Override
    public void onComplete() {}

    Digest digest() {
      return new Digest(bytes, HexFormat.of().formatHex(md.digest()));
    }
  }
}
