package io.ferry.packager.hadoop;

import io.ferry.packager.store.ObjectStore;
import io.ferry.packager.store.StoreException;
import io.ferry.packager.store.StoreException.Kind;
import io.ferry.packager.store.TransferListener;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link ObjectStore} standing in for S3 in the shim's tests (the real S3 client is
 * tested against S3Proxy elsewhere). Objects are keyed by bucket and key, whatever the scheme;
 * {@link #failReadsAfter} makes every read fail part-way, like a cut connection.
 */
final class InMemoryObjectStore implements ObjectStore {

  private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
  private volatile long failReadsAfter = -1;
  final AtomicInteger closes = new AtomicInteger();

  void putObject(String uri, byte[] content) {
    objects.put(key(URI.create(uri)), content.clone());
  }

  byte[] object(String uri) {
    return objects.get(key(URI.create(uri)));
  }

  /** Reads throw an IOException after {@code bytes} bytes; -1 turns this off. */
  void failReadsAfter(long bytes) {
    this.failReadsAfter = bytes;
  }

  @Override
  public OptionalLong size(URI uri) {
    byte[] content = objects.get(key(uri));
    return content == null ? OptionalLong.empty() : OptionalLong.of(content.length);
  }

  @Override
  public void put(Path source, URI uri, boolean overwrite, TransferListener listener)
      throws IOException {
    byte[] content = Files.readAllBytes(source);
    if (!overwrite && objects.putIfAbsent(key(uri), content) != null) {
      throw new StoreException(Kind.ALREADY_EXISTS, "upload", uri, "an object already exists");
    }
    objects.put(key(uri), content);
  }

  @Override
  public InputStream open(URI uri) throws IOException {
    byte[] content = objects.get(key(uri));
    if (content == null) {
      throw new StoreException(Kind.NOT_FOUND, "read", uri, "no such object");
    }
    long limit = failReadsAfter;
    ByteArrayInputStream in = new ByteArrayInputStream(content);
    if (limit < 0) {
      return in;
    }
    return new InputStream() {
      private long served;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (served >= limit) {
          throw new StoreException(Kind.TRANSIENT, "read", uri, "connection reset (injected)");
        }
        int n = in.read(b, off, (int) Math.min(len, limit - served));
        served += Math.max(n, 0);
        return n;
      }
    };
  }

  @Override
  public boolean delete(URI uri) {
    return objects.remove(key(uri)) != null;
  }

  @Override
  public void close() {
    closes.incrementAndGet();
  }

  private static String key(URI uri) {
    return uri.getAuthority() + uri.getPath();
  }
}
