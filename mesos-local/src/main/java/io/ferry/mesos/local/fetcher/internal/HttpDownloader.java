package io.ferry.mesos.local.fetcher.internal;

import io.ferry.mesos.local.fetcher.FetchException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;

/**
 * {@code http://} and {@code https://} with the JDK's client, behaving as Mesos's libcurl fetch:
 * redirects followed, success only on 200, and a download that stays below 1 byte/s for the stall
 * timeout aborted ({@link StallWatch}). The stall timeout also bounds connecting and waiting for
 * the response headers, when no bytes flow either.
 */
final class HttpDownloader implements Downloader {

  private final HttpClient client;
  private final ScheduledExecutorService timer;
  private final Duration stallTimeout;

  HttpDownloader(HttpClient client, ScheduledExecutorService timer, Duration stallTimeout) {
    this.client = client;
    this.timer = timer;
    this.stallTimeout = stallTimeout;
  }

  /** A client for {@link HttpDownloader}: HTTP/1.1, every redirect followed, as curl does. */
  static HttpClient newClient(Duration connectTimeout, java.util.concurrent.Executor executor) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.ALWAYS)
        .connectTimeout(connectTimeout)
        .executor(executor)
        .build();
  }

  @Override
  public long size(String uri, FetchSession session) throws FetchException {
    HttpRequest head = request(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
    HttpResponse<Void> response = send(uri, head, HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() != 200) {
      throw new FetchException(uri, "HEAD answered HTTP " + response.statusCode()
          + " (expected 200)");
    }
    OptionalLong length = response.headers().firstValueAsLong("Content-Length");
    if (length.isEmpty() || length.getAsLong() <= 0) {
      throw new FetchException(uri, "the server reported no Content-Length or 0");
    }
    return length.getAsLong();
  }

  @Override
  public void download(String uri, Path target, FetchSession session, String what)
      throws FetchException, IOException {
    HttpRequest get = request(uri).GET().build();
    HttpResponse<InputStream> response = send(uri, get, HttpResponse.BodyHandlers.ofInputStream());
    InputStream body = response.body();
    try (body) {
      if (response.statusCode() != 200) {
        throw new FetchException(uri, "received HTTP " + response.statusCode()
            + " (expected 200); check the URL and that the file is published there");
      }
      OptionalLong length = response.headers().firstValueAsLong("Content-Length");
      if (length.isPresent()) {
        // Known to be too big: fail before the first byte rather than at the limit.
        session.budget().checkFits(length.getAsLong(), what);
      }
      try (StallWatch watch = new StallWatch(timer, stallTimeout, () -> closeQuietly(body))) {
        ByteCopy.copy(body, target, session.budget(), what, watch::progressed,
            e -> watch.stalled() ? stalled(uri, watch.bytes()) : new FetchException(uri,
                "the download broke off after " + watch.bytes() + " bytes: "
                    + ReasonText.quote(e.toString()), e));
        if (watch.stalled()) {
          // Closing the stream may look like a clean end to the reader.
          throw stalled(uri, watch.bytes());
        }
      }
    }
  }

  private FetchException stalled(String uri, long bytes) {
    return new FetchException(uri, "the download stalled: less than 1 byte/s for "
        + stallTimeout.toMillis() + " ms (--fetcher_stall_timeout) after " + bytes
        + " bytes; check the server and the network");
  }

  private HttpRequest.Builder request(String uri) throws FetchException {
    try {
      return HttpRequest.newBuilder(new URI(uri)).timeout(stallTimeout);
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new FetchException(uri, "not a valid URL: " + e.getMessage());
    }
  }

  private <T> HttpResponse<T> send(String uri, HttpRequest request,
      HttpResponse.BodyHandler<T> handler) throws FetchException {
    try {
      return client.send(request, handler);
    } catch (HttpConnectTimeoutException e) {
      throw new FetchException(uri, "could not connect within " + stallTimeout.toMillis()
          + " ms; check the host and port", e);
    } catch (HttpTimeoutException e) {
      throw new FetchException(uri, "no response within " + stallTimeout.toMillis()
          + " ms (--fetcher_stall_timeout); check the server", e);
    } catch (ConnectException e) {
      throw new FetchException(uri, "connection refused or unreachable; check the host and"
          + " port and that the server is running", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchException(uri, "interrupted", e);
    } catch (IOException e) {
      if (rootCause(e) instanceof UnknownHostException) {
        throw new FetchException(uri, "unknown host; check the URL", e);
      }
      if (e instanceof InterruptedIOException) {
        throw new FetchException(uri, "interrupted", e);
      }
      throw new FetchException(uri, "the request failed: " + ReasonText.quote(e.toString()), e);
    } catch (IllegalArgumentException e) {
      throw new FetchException(uri, "not a valid URL: " + e.getMessage(), e);
    }
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // Aborting; the reader reports the stall.
    }
  }
}
