package io.ferry.packager.store;

import java.time.Duration;
import java.util.Optional;

/**
 * How to talk to an HTTP(S) server that accepts PUT (nginx WebDAV, an artifact repository).
 *
 * @param user user name for Basic auth
 * @param password password for Basic auth; never printed
 * @param bearerToken token for {@code Authorization: Bearer}; never printed; excludes Basic
 * @param connectTimeout time allowed to open a connection
 * @param requestTimeout time allowed for a request other than the upload body itself
 * @param maxRedirects how many redirects to follow before giving up
 */
public record HttpOptions(
    Optional<String> user,
    Optional<String> password,
    Optional<String> bearerToken,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxRedirects) {

  public static final HttpOptions DEFAULTS = new HttpOptions(Optional.empty(), Optional.empty(),
      Optional.empty(), Duration.ofSeconds(10), Duration.ofSeconds(60), 5);

  public HttpOptions {
    if (bearerToken.isPresent() && user.isPresent()) {
      throw new IllegalArgumentException(
          "bearerToken and user: choose Basic (user/password) or Bearer, not both");
    }
    if (password.isPresent() && user.isEmpty()) {
      throw new IllegalArgumentException("password: set without a user (Basic auth needs both)");
    }
    if (maxRedirects < 0) {
      throw new IllegalArgumentException("maxRedirects: " + maxRedirects + " (expected: >= 0)");
    }
  }

  @Override
  public String toString() {
    return "HttpOptions[user=" + user.orElse("<none>")
        + ", password=" + password.map(s -> Redaction.REDACTED).orElse("<none>")
        + ", bearerToken=" + bearerToken.map(s -> Redaction.REDACTED).orElse("<none>")
        + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
        + ", maxRedirects=" + maxRedirects + "]";
  }
}
