package io.ferry.mesos.local.fetcher.internal;

import io.ferry.mesos.local.fetcher.FetchException;
import io.ferry.packager.hadoop.S3OptionsFromHadoopConf;
import io.ferry.packager.store.HttpOptions;
import io.ferry.packager.store.ObjectStore;
import io.ferry.packager.store.RetryPolicy;
import io.ferry.packager.store.S3Options;
import io.ferry.packager.store.StoreException;
import io.ferry.packager.store.Stores;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;

/**
 * Every other {@code scheme://} ({@code hdfs}, {@code webhdfs}, {@code s3}, {@code s3a},
 * {@code s3n}, ...) through the packager's {@link Stores}. Mesos runs {@code hadoop fs
 * -copyToLocal} here; this reads the same Hadoop configuration ({@code core-site.xml},
 * {@code hdfs-site.xml}, the {@code fs.s3a.*} keys) and talks to the store directly, so no Hadoop
 * install is needed. A store is opened per URI and closed after it.
 */
final class StoreDownloader implements Downloader {

  private final Configuration hadoopConf;
  private final RetryPolicy retry;

  StoreDownloader(Configuration hadoopConf, RetryPolicy retry) {
    this.hadoopConf = hadoopConf;
    this.retry = retry;
  }

  @Override
  public long size(String uri, FetchSession session) throws FetchException {
    URI parsed = parse(uri);
    try (ObjectStore store = store(uri, parsed)) {
      OptionalLong size = store.size(parsed);
      if (size.isEmpty()) {
        throw new FetchException(uri, "no such object");
      }
      return size.getAsLong();
    } catch (IOException e) {
      throw new FetchException(uri, "cannot determine the size: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new FetchException(uri, "the store client failed: " + e, e);
    }
  }

  @Override
  public void download(String uri, Path target, FetchSession session, String what)
      throws FetchException, IOException {
    URI parsed = parse(uri);
    ObjectStore store = store(uri, parsed);
    try (store) {
      InputStream in;
      try {
        in = store.open(parsed);
      } catch (StoreException e) {
        throw new FetchException(uri, reason(e), e);
      } catch (IOException e) {
        throw new FetchException(uri, "cannot open it: " + e.getMessage(), e);
      }
      try (in) {
        ByteCopy.copy(in, target, session.budget(), what, n -> { }, e -> new FetchException(uri,
            "reading failed: " + ReasonText.quote(String.valueOf(e.getMessage())), e));
      }
    } catch (RuntimeException e) {
      // Hadoop and the AWS SDK throw unchecked exceptions for configuration and client errors.
      throw new FetchException(uri, "the store client failed: " + ReasonText.quote(e.toString()), e);
    }
  }

  private ObjectStore store(String uri, URI parsed) throws FetchException {
    String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
    try {
      S3Options s3 = Stores.S3_SCHEMES.contains(scheme)
          ? S3OptionsFromHadoopConf.from(hadoopConf, parsed.getHost())
          : S3Options.DEFAULTS;
      return new Stores(s3, HttpOptions.DEFAULTS, hadoopConf, retry).forUri(parsed);
    } catch (StoreException e) {
      throw new FetchException(uri, reason(e), e);
    } catch (IllegalArgumentException e) {
      throw new FetchException(uri, e.getMessage(), e);
    }
  }

  /**
   * The store's message without its leading operation and URI (the fetch message names the URI),
   * and for refused credentials, where this fetcher takes them from.
   */
  private static String reason(StoreException e) {
    String message = e.getMessage();
    int colon = message.indexOf(": ");
    String reason = colon < 0 ? message : message.substring(colon + 2);
    if (e.kind() == StoreException.Kind.AUTH) {
      reason += "; the fetcher takes S3 credentials from fs.s3a.access.key and fs.s3a.secret.key"
          + " in the Hadoop configuration, and HDFS's user from HADOOP_USER_NAME";
    }
    return reason;
  }

  private static URI parse(String uri) throws FetchException {
    try {
      URI parsed = new URI(uri);
      if (parsed.getScheme() == null) {
        throw new FetchException(uri, "not a valid URI: no scheme");
      }
      return parsed;
    } catch (URISyntaxException e) {
      throw new FetchException(uri, "not a valid URI (" + e.getReason()
          + "); check the quoting and escape spaces as %20");
    }
  }
}
