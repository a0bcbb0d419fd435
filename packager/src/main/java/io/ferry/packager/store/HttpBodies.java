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
import java.util.List;
import java.util.zip.CRC32C;
import java.util.concurrent.Flow;

/**
 * Response bodies an {@link HttpStore} reads without holding them in memory: the start of an
 * error page (the rest is drained and dropped) and the CRC-32C of a stored object.
 *
 * <p>CRC-32C, not a cryptographic hash: the read-back guards against truncation and corruption
 * between us and the server's disk, and costs a fraction of SHA-256 on the CPU (the sidecar's
 * SHA-512 is what users verify the archive against).
 */
final class HttpBodies {

  /** Error pages are kept up to this many bytes; enough for a message excerpt. */
  static final int SNIPPET_BYTES = 4096;

  private HttpBodies() {}

  /** The size and CRC-32C (hex) of some bytes. */
  record Digest(long bytes, String crc32c) {}

  /** The first {@link #SNIPPET_BYTES} of the body as text. */
  static BodySubscriber<String> snippet() {
    return BodySubscribers.fromSubscriber(new Snippet(), Snippet::text);
  }

  /** Checksums the body as it streams in, touching {@code watch} on every chunk. */
  static BodySubscriber<Digest> checksum(IdleWatch watch) {
    return BodySubscribers.fromSubscriber(new Hashing(watch), Hashing::digest);
  }

  /** The size and CRC-32C of a local file. */
  static Digest checksum(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    long bytes = 0;
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        crc.update(buf, 0, n);
        bytes += n;
      }
    }
    return new Digest(bytes, hex(crc));
  }

  private static String hex(CRC32C crc) {
    return String.format("%08x", crc.getValue());
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

  /** Feeds every byte of the body to CRC-32C. */
  private static final class Hashing implements Flow.Subscriber<List<ByteBuffer>> {

    private final CRC32C crc = new CRC32C();
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
        crc.update(b);
      }
      watch.touch();
    }

    @Override
    public void onError(Throwable throwable) {}

    @Override
    public void onComplete() {}

    Digest digest() {
      return new Digest(bytes, hex(crc));
    }
  }
}
