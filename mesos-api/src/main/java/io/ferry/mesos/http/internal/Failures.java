package io.ferry.mesos.http.internal;

import io.ferry.mesos.http.MesosClientException;
import io.ferry.mesos.http.MesosConnectionException;
import io.ferry.mesos.http.MesosException;
import io.ferry.mesos.http.MesosRedirectException;
import io.ferry.mesos.http.MesosServerException;
import io.ferry.mesos.http.MesosStreamException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/** Builds the typed exceptions, so every message has the same shape: {@code TYPE to URL failed: why}. */
public final class Failures {

  /** How much of a response body an exception keeps. */
  static final int BODY_PREFIX = 1024;

  private Failures() {}

  static MesosException forStatus(String callType, HttpTarget url, int status, String body, int retries) {
    String message = prefix(callType, url) + status + " " + HttpResponseStatus.valueOf(status).reasonPhrase()
        + (body.isEmpty() ? "" : ": " + body)
        + (retries > 0 ? " (after " + retries + (retries == 1 ? " retry)" : " retries)") : "");
    if (status >= 400 && status < 500) {
      return new MesosClientException(message, callType, url.url(), status, body, null);
    }
    if (status >= 500 && status < 600) {
      return new MesosServerException(message, callType, url.url(), status, body, null);
    }
    return new MesosException(message + " (unexpected status)", callType, url.url(), status, body, null);
  }

  static MesosException unexpected(String callType, HttpTarget url, int status, String detail) {
    return new MesosException(prefix(callType, url) + detail, callType, url.url(), status, "", null);
  }

  static MesosConnectionException connection(String callType, HttpTarget url, Throwable cause) {
    return new MesosConnectionException(prefix(callType, url) + describe(cause), callType, url.url(), 0, "", cause);
  }

  static MesosConnectionException timeout(String callType, HttpTarget url, Duration timeout, String what) {
    return new MesosConnectionException(prefix(callType, url) + "no " + what + " within " + format(timeout)
        + " (request timeout)", callType, url.url(), 0, "", null);
  }

  static MesosRedirectException redirect(String callType, HttpTarget url, String detail) {
    return new MesosRedirectException(prefix(callType, url) + detail, callType, url.url(), 307, "", null);
  }

  static MesosException clientClosed(String callType, HttpTarget url) {
    return new MesosException(prefix(callType, url) + "the client was closed", callType, url.url(), 0, "", null);
  }

  static MesosException closedEarly(String callType, HttpTarget url) {
    return new MesosException(prefix(callType, url) + "closed on our side before the stream opened", callType,
        url.url(), 0, "", null);
  }

  static MesosStreamException stream(String callType, HttpTarget url, MesosStreamException.Reason reason,
      String detail, Throwable cause) {
    return new MesosStreamException(callType + " stream from " + url + " closed: " + detail, reason, callType,
        url.url(), cause);
  }

  /** The start of a body as text, for messages; Mesos's error bodies are short plain text. */
  static String bodyPrefix(byte[] body) {
    int length = Math.min(body.length, BODY_PREFIX);
    String text = new String(body, 0, length, StandardCharsets.UTF_8).strip();
    return body.length > BODY_PREFIX ? text + "..." : text;
  }

  /** {@code 200ms}, {@code 75s}, {@code 2m30s}: short enough for a log line. */
  public static String format(Duration duration) {
    if (duration.toMillis() < 1000) {
      return duration.toMillis() + "ms";
    }
    return duration.toString().substring(2).toLowerCase(Locale.ROOT);
  }

  private static String prefix(String callType, HttpTarget url) {
    return callType + " to " + url + " failed: ";
  }

  private static String describe(Throwable cause) {
    if (cause instanceof ConnectTimeoutException) {
      return "connect timed out (" + cause.getMessage() + ")";
    }
    if (cause instanceof ConnectException) {
      return "connection refused (" + cause.getMessage() + ")";
    }
    if (cause instanceof ClosedChannelException) {
      return "the connection closed before a response arrived";
    }
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : cause.getClass().getSimpleName() + ": " + message;
  }
}
