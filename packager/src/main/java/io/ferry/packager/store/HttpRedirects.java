package io.ferry.packager.store;

import io.ferry.packager.store.StoreException.Kind;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpHeaders;
import java.util.Locale;
import java.util.Optional;

/**
 * Where an {@link HttpStore} request goes after a 3xx answer. The client is built with
 * redirects off because its own policy turns a redirected PUT into a GET and keeps credentials
 * across hosts; here 301, 302, 307 and 308 keep the method and the body, 303 is followed only
 * by reads, and a redirect from https to http is refused so a body or token never leaves TLS.
 */
final class HttpRedirects {

  private HttpRedirects() {}

  static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /**
   * The URI to send {@code method} to next.
   *
   * @param operation what the user asked for, for messages ("upload", "read")
   * @param asked the URI the user gave, for messages
   * @param current the URI that answered with {@code status}
   */
  static URI next(String operation, URI asked, String method, URI current, int status,
      HttpHeaders headers) throws StoreException {
    if (status == 303 && !method.equals("GET") && !method.equals("HEAD")) {
      throw new StoreException(Kind.REJECTED, operation, asked, "HTTP 303 See Other from "
          + Redaction.uri(current) + ": the server sends the " + method
          + " elsewhere as a GET; give the final URL of the object instead");
    }
    Optional<String> location = headers.firstValue("Location");
    if (location.isEmpty() || location.get().isBlank()) {
      throw new StoreException(Kind.REJECTED, operation, asked, "HTTP " + status + " from "
          + Redaction.uri(current) + " without a Location header; check the URL");
    }
    URI next;
    try {
      // Relative and scheme-less ("//host/path") locations resolve against the request URI.
      next = current.resolve(new URI(location.get().trim()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new StoreException(Kind.REJECTED, operation, asked, "HTTP " + status + " from "
          + Redaction.uri(current) + " with an invalid Location header; check the server");
    }
    String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || next.getHost() == null) {
      throw new StoreException(Kind.REJECTED, operation, asked, "HTTP " + status
          + " redirect to " + Redaction.uri(next) + ", which is not an http(s) URL");
    }
    if (scheme.equals("http") && "https".equalsIgnoreCase(current.getScheme())) {
      throw new StoreException(Kind.REJECTED, operation, asked, "refusing to follow a redirect "
          + "from https to " + Redaction.uri(next) + ": it would leave TLS; use the final URL if "
          + "that is really meant");
    }
    return next;
  }
}
