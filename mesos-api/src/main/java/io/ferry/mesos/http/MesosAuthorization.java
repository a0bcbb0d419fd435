package io.ferry.mesos.http;

import io.ferry.mesos.http.internal.FixedAuthorization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Supplies the {@code Authorization} header value, asked once per request (so a rotating token
 * works). The value is a secret: the client never logs it, and the factories' instances print as
 * {@code Bearer [REDACTED]}.
 *
 * <pre>{@code
 * MesosAuthorization executor = MesosAuthorization.fromExecutorEnvironment(System.getenv());
 * MesosAuthorization framework = MesosAuthorization.basic("ferry", secret);
 * }</pre>
 */
@FunctionalInterface
public interface MesosAuthorization {

  /** The environment variable the agent puts an executor's JWT in. */
  String EXECUTOR_TOKEN_VARIABLE = "MESOS_EXECUTOR_AUTHENTICATION_TOKEN";

  /** The header value, e.g. {@code Bearer eyJ...}, or empty to send none. */
  Optional<String> header();

  /** No {@code Authorization} header. */
  static MesosAuthorization none() {
    return FixedAuthorization.NONE;
  }

  /** {@code Bearer <token>}, how executors authenticate with the agent's JWT. */
  static MesosAuthorization bearer(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("token: empty (expected: a non-empty bearer token)");
    }
    return new FixedAuthorization("Bearer", "Bearer " + token);
  }

  /** {@code Basic base64(principal:secret)}, how frameworks authenticate with the master. */
  static MesosAuthorization basic(String principal, String secret) {
    if (principal == null || principal.isEmpty() || principal.contains(":")) {
      throw new IllegalArgumentException("principal: '" + principal + "' (expected: non-empty, without ':')");
    }
    if (secret == null) {
      throw new IllegalArgumentException("secret: null (expected: a secret, possibly empty)");
    }
    String credentials = principal + ":" + secret;
    return new FixedAuthorization("Basic",
        "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * A bearer token from {@value #EXECUTOR_TOKEN_VARIABLE} when the agent set it (HTTP executor
   * authentication on), else none.
   */
  static MesosAuthorization fromExecutorEnvironment(Map<String, String> environment) {
    String token = environment.get(EXECUTOR_TOKEN_VARIABLE);
    return token == null || token.isBlank() ? none() : bearer(token);
  }
}
