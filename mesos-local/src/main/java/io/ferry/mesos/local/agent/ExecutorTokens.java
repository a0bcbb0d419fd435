package io.ferry.mesos.local.agent;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The tokens an agent with {@code --authenticate_http_executors} issues to its executors: an
 * HMAC-SHA256 JWT whose claims are {@code fid}, {@code eid} and {@code cid} (framework, executor
 * and container IDs), handed over in {@code MESOS_EXECUTOR_AUTHENTICATION_TOKEN} and sent back as
 * {@code Authorization: Bearer <token>}. The key is random per agent unless given, and never leaves
 * the agent. Tokens are never logged.
 */
public final class ExecutorTokens {

  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder URL_DECODER = Base64.getUrlDecoder();
  private static final String HEADER = URL.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

  private final byte[] key;

  public ExecutorTokens(byte[] key) {
    if (key.length < 32) {
      throw new IllegalArgumentException("key: " + key.length + " bytes (expected: >= 32)");
    }
    this.key = key.clone();
  }

  public static ExecutorTokens random() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new ExecutorTokens(key);
  }

  public String issue(String frameworkId, String executorId, String containerId) {
    JsonObject claims = new JsonObject();
    claims.addProperty("fid", frameworkId);
    claims.addProperty("eid", executorId);
    claims.addProperty("cid", containerId);
    String body = HEADER + "." + URL.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
    return body + "." + URL.encodeToString(sign(body));
  }

  /** The claims of a token this agent issued, or empty if it is malformed or its signature is wrong. */
  public Optional<Map<String, String>> verify(String token) {
    if (token == null) {
      return Optional.empty();
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || !parts[0].equals(HEADER)) {
      return Optional.empty();
    }
    try {
      byte[] signature = URL_DECODER.decode(parts[2]);
      if (!MessageDigest.isEqual(signature, sign(parts[0] + "." + parts[1]))) {
        return Optional.empty();
      }
      JsonObject claims = JsonParser.parseString(new String(URL_DECODER.decode(parts[1]), StandardCharsets.UTF_8))
          .getAsJsonObject();
      return Optional.of(Map.of("fid", claims.get("fid").getAsString(), "eid", claims.get("eid").getAsString(),
          "cid", claims.get("cid").getAsString()));
    } catch (RuntimeException malformed) {
      return Optional.empty();
    }
  }

  private byte[] sign(String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
