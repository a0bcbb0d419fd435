package io.ferry.rpc;

/**
 * The executor could not open a TCP (or TLS) connection to the driver. The message names the
 * endpoint and the cause; {@link #host()} and {@link #port()} let callers explain it further.
 */
public final class RpcConnectException extends RpcException {
  private static final long serialVersionUID = 1L;
  private final String host;
  private final int port;

  public RpcConnectException(String host, int port, String cause, Throwable throwable) {
    super("cannot reach the Ferry driver at " + host + ":" + port + ": " + cause, throwable);
    this.host = host;
    this.port = port;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }
}
