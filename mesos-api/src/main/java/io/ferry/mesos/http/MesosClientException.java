package io.ferry.mesos.http;

import java.net.URI;

/** Mesos refused the call with a 4xx status (400 Bad Request, 401, 403, 404, 405, 406, 415...). Not retried: the same call would fail again. The body is Mesos's plain-text reason. */
public class MesosClientException extends MesosException {
  private static final long serialVersionUID = 1L;

  public MesosClientException(String message, String callType, URI url, int status, String body, Throwable cause) {
    super(message, callType, url, status, body, cause);
  }
}
