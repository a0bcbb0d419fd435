package io.ferry.mesos.local.master;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP Basic authentication of schedulers, as a master with {@code --authenticate_frameworks}
 * and a credentials file does it. With no credentials configured, nobody is authenticated and
 * nothing is refused. Secrets are compared in constant time and never logged.
 */
final class FrameworkAuthenticator {

  /** The principal a request proved, or that it failed (answered 401). */
  record Outcome(Optional<String> principal, boolean failed) {
    static final Outcome NONE = new Outcome(Optional.empty(), false);
    static final Outcome FAILED = new Outcome(Optional.empty(), true);
  }

  private final Map<String, String> credentials;

  FrameworkAuthenticator(Map<String, String> credentials) {
    this.credentials = Map.copyOf(credentials);
  }

  Outcome authenticate(String authorizationHeader) {
    if (credentials.isEmpty()) {
      return Outcome.NONE;
    }
    if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Outcome.FAILED;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(authorizationHeader.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notBase64) {
      return Outcome.FAILED;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return Outcome.FAILED;
    }
    String principal = decoded.substring(0, colon);
    String secret = credentials.get(principal);
    boolean ok = secret != null && MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
        decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
    return ok ? new Outcome(Optional.of(principal), false) : Outcome.FAILED;
  }
}
