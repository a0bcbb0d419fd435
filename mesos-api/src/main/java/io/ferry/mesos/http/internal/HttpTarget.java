package io.ferry.mesos.http.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** A full request URL (scheme http), with the pieces a connection and a request line need. */
public record HttpTarget(URI url) {

  /** The API's URL under an endpoint: {@code http://h:p} + {@code /api/v1/scheduler}. */
  public static HttpTarget of(URI endpoint, String apiPath) {
    String base = endpoint.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return new HttpTarget(URI.create(base + apiPath));
  }

  /** The host to connect to, without IPv6 brackets. */
  public String host() {
    String host = url.getHost();
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  public int port() {
    return url.getPort() == -1 ? 80 : url.getPort();
  }

  /** The {@code Host} header value. */
  public String hostHeader() {
    return url.getPort() == -1 ? url.getHost() : url.getHost() + ":" + url.getPort();
  }

  /** Path and query, as sent in the request line. */
  public String requestTarget() {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
  }

  /**
   * Where a {@code Location} header points, resolved against this URL as RFC 3986 says: a master's
   * scheme-less {@code //leader:5050/api/v1/scheduler} keeps our scheme, a relative one our host.
   *
   * @throws IllegalArgumentException when the location is not a usable http URL
   */
  public HttpTarget resolve(String location) {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("the 307 answer has no Location header");
    }
    URI resolved;
    try {
      resolved = url.resolve(new URI(location.trim()));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Location '" + location + "' is not a URI: " + e.getMessage());
    }
    if (resolved.getScheme() == null || !resolved.getScheme().toLowerCase(Locale.ROOT).equals("http")
        || resolved.getHost() == null) {
      throw new IllegalArgumentException("Location '" + location + "' resolves to " + resolved
          + ", not an http URL with a host");
    }
    return new HttpTarget(resolved);
  }

  @Override
  public String toString() {
    return url.toString();
  }
}
