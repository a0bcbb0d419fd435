package io.ferry.rpc.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The handshake's proofs. Each side shows it holds the one-time token by an HMAC-SHA256 over a
 * label, the executor id and both nonces; the token itself never crosses the wire, and the fresh
 * server nonce makes a recorded proof useless on a later connection.
 */
public final class HandshakeMac {
  public static final int NONCE_BYTES = 32;
  public static final int TOKEN_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private HandshakeMac() {}

  public static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  /** What the executor sends. */
  public static byte[] executorProof(byte[] token, String executorId, byte[] clientNonce, byte[] serverNonce) {
    return mac(token, "ferry-rpc-v1 executor", executorId, clientNonce, serverNonce);
  }

  /** What the driver sends back in its Welcome. */
  public static byte[] driverProof(byte[] token, String executorId, byte[] clientNonce, byte[] serverNonce) {
    return mac(token, "ferry-rpc-v1 driver", executorId, clientNonce, serverNonce);
  }

  /** Constant-time comparison. */
  public static boolean matches(byte[] expected, byte[] actual) {
    return MessageDigest.isEqual(expected, actual);
  }

  private static byte[] mac(byte[] token, String label, String executorId, byte[] clientNonce, byte[] serverNonce) {
    byte[] labelBytes = label.getBytes(StandardCharsets.UTF_8);
    byte[] id = executorId.getBytes(StandardCharsets.UTF_8);
    // Every field length-prefixed: no two different inputs share an encoding.
    ByteBuffer input = ByteBuffer.allocate(16 + labelBytes.length + id.length + clientNonce.length + serverNonce.length);
    input.putInt(labelBytes.length).put(labelBytes);
    input.putInt(id.length).put(id);
    input.putInt(clientNonce.length).put(clientNonce);
    input.putInt(serverNonce.length).put(serverNonce);
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(token, "HmacSHA256"));
      return hmac.doFinal(input.array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
    }
  }
}
