package io.ferry.packager.store;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code Authorization} header for an {@link HttpStore}: Basic from the user and password,
 * or Bearer from the token. Like curl, it is sent only to the scheme, host and port the user
 * named: a redirect to another origin must not carry the credentials there.
 */
final class HttpAuth {

  private final Optional<String> header;

  HttpAuth(HttpOptions options) {
    if (options.bearerToken().isPresent()) {
      header = Optional.of("Bearer " + options.bearerToken().get());
    } else if (options.user().isPresent()) {
      String pair = options.user().get() + ":" + options.password().orElse("");
      header = Optional.of("Basic "
          + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    } else {
      header = Optional.empty();
    }
  }

  /** The header value for a request to {@code target}, given the URI the user asked for. */
  Optional<String> headerFor(URI target, URI asked) {
    return sameOrigin(target, asked) ? header : Optional.empty();
  }

  /** Same scheme, host and port (default ports made explicit). */
  static boolean sameOrigin(URI a, URI b) {
    return lower(a.getScheme()).equals(lower(b.getScheme()))
        && lower(a.getHost()).equals(lower(b.getHost()))
        && port(a) == port(b);
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equals(lower(uri.getScheme())) ? 443 : 80;
  }

  private static String lower(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }
}
