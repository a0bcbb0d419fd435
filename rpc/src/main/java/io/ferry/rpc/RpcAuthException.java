package io.ferry.rpc;

/**
 * The handshake failed: the driver rejected our proof (wrong or already used token), the driver
 * could not prove it holds the token, or its TLS certificate is not the one the launch record pins.
 */
public final class RpcAuthException extends RpcException {
  private static final long serialVersionUID = 1L;

  public RpcAuthException(String message) {
    super(message);
  }

  public RpcAuthException(String message, Throwable cause) {
    super(message, cause);
  }
}
