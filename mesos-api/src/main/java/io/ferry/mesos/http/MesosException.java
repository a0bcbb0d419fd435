package io.ferry.mesos.http;

import java.net.URI;

/**
 * A Mesos HTTP call failed. Carries what was called, where, and what came back, so that a log
 * line alone says what to check next. The message reads like
 * {@code SUBSCRIBE to http://10.0.0.5:5050/api/v1/scheduler failed: 400 Bad Request: Framework has
 * been removed}.
 *
 * <p>Subclasses say which kind of failure: {@link MesosClientException} (4xx, not retried),
 * {@link MesosServerException} (5xx, after retries), {@link MesosRedirectException},
 * {@link MesosConnectionException} and {@link MesosStreamException}. This class itself is used
 * for answers no rule covers (e.g. an unexpected status or content type).
 */
public class MesosException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String callType;
  private final URI url;
  private final int status;
  private final String body;

  /**
   * @param status the HTTP status, or 0 when no response was received
   * @param body the start of the response body as text, or empty
   */
  public MesosException(String message, String callType, URI url, int status, String body, Throwable cause) {
    super(message, cause);
    this.callType = callType;
    this.url = url;
    this.status = status;
    this.body = body == null ? "" : body;
  }

  /** The call's type, e.g. {@code SUBSCRIBE} or {@code UPDATE}. */
  public String callType() {
    return callType;
  }

  /** The URL of the last attempt. */
  public URI url() {
    return url;
  }

  /** The HTTP status code, or 0 when there was no response. */
  public int status() {
    return status;
  }

  /** The start (about 1 KB) of the response body as text; empty when there was none. */
  public String body() {
    return body;
  }
}
