package io.ferry.packager.testing;

import io.ferry.packager.store.S3Options;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.BlobMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An in-process S3 server for tests: S3Proxy on 127.0.0.1, storing objects with jclouds'
 * {@code filesystem} provider under a directory, requiring AWS V2 or V4 signatures with a fixed
 * key pair, and holding one bucket.
 *
 * <p>It can be {@linkplain #stop() stopped} and {@linkplain #start() started} again on the same
 * directory and port, which is how tests simulate a crash: whatever reached the disk before the
 * stop is what the restarted server serves. {@link #close()} stops it for good; use it in
 * try-with-resources or {@code @AfterEach} so a failing test still frees the port.
 */
public final class S3ProxyServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(S3ProxyServer.class);

  public static final String ACCESS_KEY = "ferry-test-access-key";
  public static final String SECRET_KEY = "ferry-test-secret-key-4f1c9a";
  public static final String REGION = "us-east-1";

  private final Path directory;
  private final String bucket;
  private int port;
  private BlobStoreContext context;
  private S3Proxy proxy;

  private S3ProxyServer(Path directory, String bucket) {
    this.directory = directory;
    this.bucket = bucket;
  }

  /** Starts a server on a free port storing under {@code directory}, with {@code bucket}. */
  public static S3ProxyServer start(Path directory, String bucket) throws Exception {
    S3ProxyServer server = new S3ProxyServer(directory, bucket);
    try {
      server.start();
    } catch (Exception | Error e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** (Re)starts the server; after the first start it binds the same port again. */
  public synchronized void start() throws Exception {
    if (proxy != null) {
      return;
    }
    Files.createDirectories(directory);
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", directory.toAbsolutePath().toString());
    context = ContextBuilder.newBuilder("filesystem")
        .credentials("unused", "unused")
        .overrides(properties)
        .buildView(BlobStoreContext.class);
    context.getBlobStore().createContainerInLocation(null, bucket);
    S3Proxy candidate = S3Proxy.builder()
        .blobStore(context.getBlobStore())
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .endpoint(URI.create("http://127.0.0.1:" + port))
        .build();
    try {
      // Jetty's start() returns once the connector is bound and serving.
      candidate.start();
    } catch (Exception e) {
      candidate.stop();
      context.close();
      context = null;
      throw e;
    }
    proxy = candidate;
    port = proxy.getPort();
    LOG.info("S3Proxy serving {} on {}", directory, endpoint());
  }

  /** Stops serving; objects stay on disk and {@link #start()} brings them back. */
  public synchronized void stop() throws IOException {
    try {
      if (proxy != null) {
        proxy.stop();
        LOG.info("S3Proxy on port {} stopped", port);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while stopping S3Proxy");
    } catch (Exception e) {
      throw new IOException("could not stop S3Proxy on port " + port, e);
    } finally {
      proxy = null;
      if (context != null) {
        context.close();
        context = null;
      }
    }
  }

  public synchronized boolean isRunning() {
    return proxy != null;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public String bucket() {
    return bucket;
  }

  public Path directory() {
    return directory;
  }

  /** Options for an S3 store talking to this server with the right key pair. */
  public S3Options options(long multipartThreshold, long partSize) {
    return options(SECRET_KEY, multipartThreshold, partSize);
  }

  /** Options with the given secret, e.g. a wrong one. */
  public S3Options options(
      String secretKey, long multipartThreshold, long partSize) {
    // Path-style because the endpoint is an IP address; the region is explicit so the SDK never
    // consults its region chain (which may query the EC2 metadata service off-box).
    return new S3Options(Optional.of(endpoint()), Optional.of(REGION), true,
        Optional.of(ACCESS_KEY), Optional.of(secretKey), Optional.empty(), multipartThreshold,
        partSize);
  }

  /**
   * A plain SDK client for this server, for checks the store under test does not offer (such as
   * listing multipart uploads). The caller closes it.
   */
  public S3Client newClient() {
    return S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .endpointOverride(endpoint())
        .region(Region.of(REGION))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  /** Whether the blob exists, asked of the storage directly, not through the S3 API. */
  public synchronized boolean blobExists(String key) {
    return blobStore().blobExists(bucket, key);
  }

  /** The stored Content-Type of {@code key}, asked of the storage directly. */
  public synchronized Optional<String> contentType(String key) {
    BlobMetadata metadata = blobStore().blobMetadata(bucket, key);
    return Optional.ofNullable(metadata).map(m -> m.getContentMetadata().getContentType());
  }

  private BlobStore blobStore() {
    if (context == null) {
      throw new IllegalStateException("S3Proxy is stopped");
    }
    return context.getBlobStore();
  }

  @Override
  public void close() throws IOException {
    stop();
  }
}
