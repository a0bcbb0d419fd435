package io.ferry.mesos.local.fetcher.internal;

import io.ferry.packager.store.RetryPolicy;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.hadoop.conf.Configuration;

/** The {@link Downloader} for each {@linkplain UriSchemes.Kind kind} of URI. */
public final class Downloaders {

  private final Downloader local;
  private final Downloader http;
  private final Downloader store;

  public Downloaders(Optional<Path> frameworksHome, HttpClient httpClient,
      ScheduledExecutorService timer, Duration stallTimeout, Configuration hadoopConf,
      RetryPolicy retry) {
    this.local = new LocalCopier(frameworksHome);
    this.http = new HttpDownloader(httpClient, timer, stallTimeout);
    this.store = new StoreDownloader(hadoopConf, retry);
  }

  /** A client for {@link #Downloaders}: HTTP/1.1, every redirect followed, as curl does. */
  public static HttpClient httpClient(Duration connectTimeout,
      java.util.concurrent.Executor executor) {
    return HttpDownloader.newClient(connectTimeout, executor);
  }

  public Downloader forUri(String uri) {
    return switch (UriSchemes.kind(uri)) {
      case LOCAL -> local;
      case HTTP -> http;
      case STORE -> store;
    };
  }
}
