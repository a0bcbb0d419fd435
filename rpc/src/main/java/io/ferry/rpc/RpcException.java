package io.ferry.rpc;

/** A failure of the driver link: connecting, the handshake, or a broken connection. */
public class RpcException extends Exception {
  private static final long serialVersionUID = 1L;

  public RpcException(String message) {
    super(message);
  }

  public RpcException(String message, Throwable cause) {
    super(message, cause);
  }
}
