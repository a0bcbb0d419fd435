package io.ferry.packager.store;

import io.ferry.packager.store.StoreException.Kind;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;

/** Picks the {@link ObjectStore} for a URI's scheme and parses user-typed locations. */
public final class Stores {

  /** Schemes served by the S3 API client ({@code s3n} is kept because Spark users write it). */
  public static final java.util.Set<String> S3_SCHEMES = java.util.Set.of("s3", "s3a", "s3n");

  /** Schemes served through Hadoop's FileSystem API. */
  public static final java.util.Set<String> HADOOP_SCHEMES = java.util.Set.of("hdfs", "webhdfs", "viewfs");

  private final S3Options s3;
  private final HttpOptions http;
  private final Configuration hadoopConf;
  private final RetryPolicy retry;

  public Stores(S3Options s3, HttpOptions http, Configuration hadoopConf, RetryPolicy retry) {
    this.s3 = s3;
    this.http = http;
    this.hadoopConf = hadoopConf;
    this.retry = retry;
  }

  /**
   * Parses a location as a user types it: a URI with a scheme, or a plain local path (relative
   * paths resolve against the working directory).
   */
  public static URI parse(String location) throws StoreException {
    if (location == null || location.isBlank()) {
      throw new StoreException(Kind.BAD_URI, "parse", null, "empty location");
    }
    if (!location.contains(":/") && !location.startsWith("file:")) {
      return localPath(location);
    }
    try {
      URI uri = new URI(location);
      if (uri.getScheme() == null) {
        return localPath(location);
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new StoreException(Kind.BAD_URI, "parse", null,
          "not a valid URI: '" + location + "' (" + e.getReason() + "); check the quoting and escape spaces as %20");
    }
  }

  /** A plain path as a {@code file:} URI; a trailing slash ("into this directory") is kept. */
  private static URI localPath(String location) {
    URI uri = Path.of(location).toAbsolutePath().normalize().toUri();
    if (location.endsWith("/") && !uri.getPath().endsWith("/")) {
      uri = URI.create(uri + "/");
    }
    return uri;
  }

  /** The store for {@code uri}'s scheme; fails with {@link Kind#BAD_URI} for unknown schemes. */
  public ObjectStore forUri(URI uri) throws StoreException {
    String scheme = uri.getScheme() == null ? "file" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("file")) {
      return new LocalFileStore();
    }
    if (HADOOP_SCHEMES.contains(scheme)) {
      return new HadoopFileStore(hadoopConf, retry);
    }
    if (S3_SCHEMES.contains(scheme)) {
      return new S3Store(s3, retry);
    }
    if (scheme.equals("http") || scheme.equals("https")) {
      return new HttpStore(http, retry);
    }
    throw new StoreException(Kind.BAD_URI, "open", uri, "unknown scheme '" + scheme
        + "' (expected one of: file, hdfs, webhdfs, s3, s3a, s3n, http, https)");
  }

  public RetryPolicy retry() {
    return retry;
  }
}
