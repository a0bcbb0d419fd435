package io.ferry.mesos.http;

import java.net.URI;

/** No usable HTTP exchange: the connection was refused, reset or timed out, the host could not be resolved, or no response came within the request timeout. {@link #status()} is 0. */
public class MesosConnectionException extends MesosException {
  private static final long serialVersionUID = 1L;

  public MesosConnectionException(String message, String callType, URI url, int status, String body, Throwable cause) {
    super(message, callType, url, status, body, cause);
  }
}
