package io.ferry.packager.store;

import io.ferry.packager.store.StoreException.Kind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscribers;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one logical request of an {@link HttpStore}: adds the credentials, follows redirects by
 * {@link HttpRedirects}' rules, bounds the wait with an {@link IdleWatch} and turns I/O failures
 * into {@link StoreException}s. HTTP statuses are left to the caller, which knows what a 404
 * means for its operation.
 *
 * <p>Requests never ask for {@code Expect: 100-continue}: the JDK 17 client (17.0.15 tried)
 * waits forever, past any request timeout, when a server answers such a request with a final
 * status instead of 100, as nginx does for 401, 405 and 503 (later JDKs reworked this:
 * JDK-8286171, JDK-8324209). Without it nginx answers a refused PUT at once and the client stops
 * sending, so a refusal costs at most what is in flight; {@link HttpStore} also sends a HEAD
 * first, which catches bad credentials before any body goes out.
 */
final class HttpTransport {

  private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);

  /** What to send, wherever redirects take it. */
  record Call<T>(String method, BodyPublisher body, Optional<String> contentType,
      BodyHandler<T> onSuccess, IdleWatch watch, boolean boundedByRequestTimeout) {

    static Call<Void> head(IdleWatch watch) {
      return new Call<>("HEAD", BodyPublishers.noBody(), Optional.empty(),
          BodyHandlers.discarding(), watch, true);
    }

    static Call<Void> delete(IdleWatch watch) {
      return new Call<>("DELETE", BodyPublishers.noBody(), Optional.empty(),
          BodyHandlers.discarding(), watch, true);
    }

    static <T> Call<T> get(BodyHandler<T> onSuccess, IdleWatch watch) {
      return new Call<>("GET", BodyPublishers.noBody(), Optional.empty(), onSuccess, watch, true);
    }

    /** An upload: no overall timeout, as the body may take long; the watch catches stalls. */
    static Call<Void> put(BodyPublisher body, String contentType, IdleWatch watch) {
      return new Call<>("PUT", body, Optional.of(contentType), BodyHandlers.discarding(), watch,
          false);
    }
  }

  /**
   * The final answer.
   *
   * @param uri the URI that gave it, after redirects
   * @param body the success body, or null if the status is not 2xx
   * @param errorText the start of the body when the status is not 2xx, else empty
   */
  record Reply<T>(int status, HttpHeaders headers, URI uri, T body, String errorText) {}

  private final HttpOptions options;
  private final HttpAuth auth;
  private final HttpClient client;

  HttpTransport(HttpOptions options) {
    this.options = options;
    this.auth = new HttpAuth(options);
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(options.connectTimeout())
        .build();
  }

  /**
   * Sends {@code call} to {@code target}, following redirects.
   *
   * @param operation what the user asked for, for messages
   * @param asked the URI the user gave: it names the failure and decides where credentials go
   */
  <T> Reply<T> send(String operation, URI asked, URI target, Call<T> call) throws IOException {
    URI current = target;
    for (int redirects = 0; ; redirects++) {
      Reply<T> reply = once(operation, asked, current, call);
      if (!HttpRedirects.isRedirect(reply.status())) {
        return reply;
      }
      if (redirects >= options.maxRedirects()) {
        throw new StoreException(Kind.REJECTED, operation, asked, "more than "
            + options.maxRedirects() + " redirects (the last from " + Redaction.uri(current)
            + "); check the URL for a redirect loop");
      }
      URI next = HttpRedirects.next(operation, asked, call.method(), current, reply.status(),
          reply.headers());
      LOG.debug("{} {}: HTTP {}, following to {}", call.method(), Redaction.uri(current),
          reply.status(), Redaction.uri(next));
      current = next;
    }
  }

  private <T> Reply<T> once(String operation, URI asked, URI uri, Call<T> call)
      throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(call.method(), call.body());
    if (call.boundedByRequestTimeout()) {
      request.timeout(options.requestTimeout());
    }
    auth.headerFor(uri, asked).ifPresent(value -> request.header("Authorization", value));
    call.contentType().ifPresent(type -> request.header("Content-Type", type));
    BodyHandler<Answer<T>> handler = info -> HttpErrors.isSuccess(info.statusCode())
        ? BodySubscribers.mapping(call.onSuccess().apply(info), body -> new Answer<>(body, ""))
        : BodySubscribers.mapping(HttpBodies.snippet(), text -> new Answer<T>(null, text));
    HttpResponse<Answer<T>> response;
    try {
      response = call.watch().await(client.sendAsync(request.build(), handler));
    } catch (IOException e) {
      throw HttpErrors.forIo(operation, asked, uri, e);
    }
    LOG.debug("{} {}: HTTP {}", call.method(), Redaction.uri(uri), response.statusCode());
    Answer<T> answer = response.body();
    return new Reply<>(response.statusCode(), response.headers(), uri, answer.body(),
        answer.errorText());
  }

  /** A response body: the success value or the error text. */
  private record Answer<T>(T body, String errorText) {}
}
