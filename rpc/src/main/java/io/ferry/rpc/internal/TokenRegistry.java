package io.ferry.rpc.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The driver's unused one-time tokens, one per executor id. A successful handshake removes the
 * token, so a second handshake with it (a replay, or a copy read from somewhere) fails.
 */
public final class TokenRegistry {
  private final Map<String, byte[]> unused = new ConcurrentHashMap<>();

  /** A fresh token for the executor; any earlier unused one for that id stops working. */
  public byte[] issue(String executorId) {
    byte[] token = HandshakeMac.randomBytes(HandshakeMac.TOKEN_BYTES);
    unused.put(executorId, token);
    return token.clone();
  }

  /** The executor's unused token, if any, without consuming it. */
  public Optional<byte[]> peek(String executorId) {
    return Optional.ofNullable(unused.get(executorId));
  }

  /** Removes exactly this token; false if another handshake already used it. */
  public boolean consume(String executorId, byte[] token) {
    return unused.remove(executorId, token);
  }

  public void revoke(String executorId) {
    unused.remove(executorId);
  }
}
