package io.ferry.packager.store;

import io.ferry.packager.store.StoreException.Kind;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * {@code s3://}, {@code s3a://} and {@code s3n://} URIs, on AWS or an S3-compatible store, through
 * the AWS SDK v2. Files below the multipart threshold go up in one PUT, which S3 applies
 * atomically; larger ones as a {@link S3MultipartUpload}, which is aborted on failure so nothing
 * appears at the key. Every call goes through {@link RetryPolicy} (the SDK's own retries are off)
 * and every failure through {@link S3Errors}.
 */
final class S3Store implements ObjectStore {

  private static final Logger LOG = LoggerFactory.getLogger(S3Store.class);

  private final S3Options options;
  private final RetryPolicy retry;
  private final S3Errors errors;
  /** Buckets seen to exist, so a 404 from HEAD is asked about only once per bucket. */
  private final Set<String> knownBuckets = ConcurrentHashMap.newKeySet();

  private S3Client client;
  private SdkHttpClient httpClient;
  private AwsCredentialsProvider credentials;
  private boolean closed;

  S3Store(S3Options options, RetryPolicy retry) {
    this.options = options;
    this.retry = retry;
    this.errors = new S3Errors(options.endpoint());
  }

  @Override
  public OptionalLong size(URI uri) throws IOException {
    S3Location location = S3Location.parse(uri);
    return retry.run("stat " + Redaction.uri(uri), () -> head("stat", uri, location));
  }

  private OptionalLong head(String operation, URI uri, S3Location location) throws IOException {
    try {
      return OptionalLong.of(client().headObject(r -> r.bucket(location.bucket())
          .key(location.key())).contentLength());
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw errors.classify(operation, uri, location, e);
      }
      requireBucket(operation, uri, location);
      return OptionalLong.empty();
    } catch (SdkException e) {
      throw errors.classify(operation, uri, location, e);
    }
  }

  /**
   * HEAD has no error body, so a missing bucket looks like a missing object; ask so that a typo
   * in the bucket name is reported as such rather than as "no object yet".
   */
  private void requireBucket(String operation, URI uri, S3Location location) throws IOException {
    if (knownBuckets.contains(location.bucket())) {
      return;
    }
    try {
      client().headBucket(r -> r.bucket(location.bucket()));
      knownBuckets.add(location.bucket());
    } catch (NoSuchBucketException e) {
      throw errors.noSuchBucket(operation, uri, location, e);
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw errors.noSuchBucket(operation, uri, location, e);
      }
      // 403 and the like: the bucket may well exist, we just may not ask about it.
      LOG.debug("HEAD bucket {} answered HTTP {}; assuming it exists", location.bucket(),
          e.statusCode());
    } catch (SdkException e) {
      throw errors.classify(operation, uri, location, e);
    }
  }

  /**
   * As S3A sees it: {@code key} is a directory when some object's key starts with {@code key/}
   * (a folder marker or a file inside). Without the right to list, it cannot be told: not one.
   */
  @Override
  public boolean isDirectory(URI uri) throws IOException {
    S3Location location = S3Location.parse(uri);
    return retry.run("list " + Redaction.uri(uri), () -> {
      try {
        return !client().listObjectsV2(r -> r.bucket(location.bucket()).prefix(location.key() + "/").maxKeys(1))
            .contents().isEmpty();
      } catch (S3Exception e) {
        if (e.statusCode() == 403) {
          LOG.debug("may not list {}: taking it for an object, not a directory", Redaction.uri(uri));
          return false;
        }
        if (e.statusCode() == 404) {
          requireBucket("list", uri, location);
          return false;
        }
        throw errors.classify("list", uri, location, e);
      } catch (SdkException e) {
        throw errors.classify("list", uri, location, e);
      }
    });
  }

  @Override
  public void put(Path source, URI uri, boolean overwrite, TransferListener listener)
      throws IOException {
    S3Location location = S3Location.parse(uri);
    long total;
    try {
      total = Files.size(source);
    } catch (IOException e) {
      throw LocalFileStore.classify("read", source.toUri(), e);
    }
    // A check, not a lock: an object created between here and the final request is replaced.
    // Conditional writes (If-None-Match) would close the gap, but few S3 clones honour them.
    if (!overwrite && size(uri).isPresent()) {
      throw new StoreException(Kind.ALREADY_EXISTS, "upload", uri,
          "an object already exists; pass --overwrite to replace it");
    }
    String contentType = contentType(location.key());
    listener.started(Redaction.uri(uri), total);
    boolean ok = false;
    try {
      if (total < options.multipartThreshold()) {
        FileSliceBody.Progress progress = new FileSliceBody.Progress(listener);
        retry.run("upload " + Redaction.uri(uri),
            () -> putObject(source, total, uri, location, contentType, progress));
      } else {
        new S3MultipartUpload(client(), retry, errors, source, total, uri, location, contentType,
            options.partSize(), listener).run();
      }
      ok = true;
      LOG.info("Uploaded {} ({} bytes)", Redaction.uri(uri), total);
    } catch (StoreException e) {
      throw e;
    } catch (InterruptedIOException e) {
      // RetryPolicy was interrupted while waiting to retry.
      throw S3Errors.interrupted("upload", uri, e);
    } catch (IOException e) {
      // Not from S3 (those are classified where they happen): reading the local file failed.
      throw LocalFileStore.classify("read", source.toUri(), e);
    } finally {
      listener.finished(ok);
    }
  }

  private Void putObject(Path source, long size, URI uri, S3Location location, String contentType,
      FileSliceBody.Progress progress) throws IOException {
    try (FileSliceBody body = new FileSliceBody(source, 0, size, progress)) {
      client().putObject(r -> r.bucket(location.bucket()).key(location.key())
              .contentType(contentType).contentLength(size),
          RequestBody.fromContentProvider(body, size, contentType));
      return null;
    } catch (SdkException e) {
      throw errors.classify("upload", uri, location, e);
    }
  }

  @Override
  public InputStream open(URI uri) throws IOException {
    S3Location location = S3Location.parse(uri);
    InputStream in = retry.run("read " + Redaction.uri(uri), () -> {
      try {
        return client().getObject(r -> r.bucket(location.bucket()).key(location.key()));
      } catch (SdkException e) {
        throw errors.classify("read", uri, location, e);
      }
    });
    return new ReadStream(in, uri, location);
  }

  /** Turns the SDK's unchecked failures mid-read (a checksum mismatch, say) into ours. */
  private final class ReadStream extends FilterInputStream {
    private final URI uri;
    private final S3Location location;

    ReadStream(InputStream in, URI uri, S3Location location) {
      super(in);
      this.uri = uri;
      this.location = location;
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (SdkException e) {
        throw errors.classify("read", uri, location, e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (SdkException e) {
        throw errors.classify("read", uri, location, e);
      }
    }
  }

  @Override
  public boolean delete(URI uri) throws IOException {
    S3Location location = S3Location.parse(uri);
    // DELETE answers 204 whether or not there was an object; HEAD tells which.
    if (size(uri).isEmpty()) {
      return false;
    }
    retry.run("delete " + Redaction.uri(uri), () -> {
      try {
        client().deleteObject(r -> r.bucket(location.bucket()).key(location.key()));
        return null;
      } catch (SdkException e) {
        throw errors.classify("delete", uri, location, e);
      }
    });
    return true;
  }

  @Override
  public synchronized void close() {
    closed = true;
    // A client given an HTTP client and credentials provider does not close them itself.
    if (client != null) {
      client.close();
      client = null;
    }
    if (httpClient != null) {
      httpClient.close();
      httpClient = null;
    }
    if (credentials instanceof SdkAutoCloseable closeable) {
      closeable.close();
    }
    credentials = null;
  }

  private synchronized S3Client client() {
    if (closed) {
      throw new IllegalStateException("S3 store is closed");
    }
    if (client == null) {
      LOG.debug("Creating S3 client: {}", options);
      credentials = S3Clients.credentials(options);
      httpClient = S3Clients.httpClient();
      client = S3Clients.create(options, credentials, httpClient);
    }
    return client;
  }

  /** What readers (browsers, {@code curl | tar}) should be told the object is. */
  static String contentType(String key) {
    String name = key.toLowerCase(Locale.ROOT);
    if (name.endsWith(".tgz") || name.endsWith(".gz")) {
      return "application/gzip";
    }
    if (name.endsWith(".sha512")) {
      return "text/plain";
    }
    return "application/octet-stream";
  }
}
