package io.ferry.mesos.http;

import java.net.URI;

/** Following 307 Temporary Redirect answers failed: too many of them (a redirect loop, or masters that keep changing leader), or a {@code Location} that cannot be followed. */
public class MesosRedirectException extends MesosException {
  private static final long serialVersionUID = 1L;

  public MesosRedirectException(String message, String callType, URI url, int status, String body, Throwable cause) {
    super(message, callType, url, status, body, cause);
  }
}
