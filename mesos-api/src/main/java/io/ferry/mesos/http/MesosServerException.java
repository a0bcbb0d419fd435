package io.ferry.mesos.http;

import java.net.URI;

/** Mesos answered with a 5xx status; for 503 Service Unavailable (master not elected or recovering, agent recovering) only after the retry policy was used up. */
public class MesosServerException extends MesosException {
  private static final long serialVersionUID = 1L;

  public MesosServerException(String message, String callType, URI url, int status, String body, Throwable cause) {
    super(message, callType, url, status, body, cause);
  }
}
