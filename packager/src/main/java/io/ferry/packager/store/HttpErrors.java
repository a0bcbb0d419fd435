package io.ferry.packager.store;

import io.ferry.packager.store.StoreException.Kind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Turns HTTP answers and I/O failures of an {@link HttpStore} into {@link StoreException}s. The
 * kind decides whether {@link RetryPolicy} tries again: 5xx and broken connections are passing,
 * every 4xx is final. Each message says what to check; none carries a credential.
 */
final class HttpErrors {

  static final String AUTH_HINT = "check --http-user and the password (FERRY_HTTP_PASSWORD / "
      + "--http-password-file) or the bearer token (FERRY_HTTP_TOKEN / --http-token-file)";

  static final String PUT_HINT = "the server does not accept PUT here; for nginx enable "
      + "dav_methods PUT and create_full_put_path";

  /** How much of an error page goes into a message. */
  static final int BODY_CHARS = 200;

  private HttpErrors() {}

  static boolean isSuccess(int status) {
    return status >= 200 && status < 300;
  }

  static boolean isGone(int status) {
    return status == 404 || status == 410;
  }

  /** The failure for a final answer that is neither success nor one the caller handles. */
  static StoreException forStatus(String operation, URI uri, String method, int status,
      String body) {
    String detail = "HTTP " + status;
    String excerpt = excerpt(body);
    if (status == 401 || status == 403) {
      return new StoreException(Kind.AUTH, operation, uri,
          detail + (status == 401 ? " Unauthorized; " : " Forbidden; ") + AUTH_HINT);
    }
    if (method.equals("PUT") && (status == 404 || status == 405)) {
      return new StoreException(Kind.REJECTED, operation, uri, detail + ": " + PUT_HINT);
    }
    if (status == 405) {
      return new StoreException(Kind.REJECTED, operation, uri, detail + ": the server does not "
          + "allow " + method + " here" + (method.equals("DELETE")
              ? "; for nginx add DELETE to dav_methods" : ""));
    }
    if (isGone(status)) {
      return new StoreException(Kind.NOT_FOUND, operation, uri, detail + ": no such object");
    }
    if (status == 409) {
      return new StoreException(Kind.REJECTED, operation, uri, detail + " Conflict: a parent "
          + "collection (directory) is missing; create it or, for nginx, enable "
          + "create_full_put_path");
    }
    if (status == 413) {
      return new StoreException(Kind.NO_SPACE, operation, uri,
          detail + ": the server refused the size: raise client_max_body_size");
    }
    if (status == 507) {
      return new StoreException(Kind.NO_SPACE, operation, uri,
          detail + " Insufficient Storage: the server has no space or quota left");
    }
    if (status >= 500) {
      // nginx answers a PUT whose parent directory is missing with 500, not 409.
      String hint = status == 500 && method.equals("PUT") ? "; if it persists, see the "
          + "server's error log (nginx without create_full_put_path fails so when the parent "
          + "directory is missing)" : "";
      return new StoreException(Kind.TRANSIENT, operation, uri,
          detail + " from the server" + (excerpt.isEmpty() ? "" : ": " + excerpt) + hint);
    }
    return new StoreException(Kind.REJECTED, operation, uri,
        (status >= 400 ? detail : "unexpected " + detail)
            + (excerpt.isEmpty() ? "" : ": " + excerpt));
  }

  /**
   * The failure for an exchange that ended without an HTTP answer.
   *
   * @param uri the URI the user gave, which names the failure
   * @param contacted the URI the request went to (another after a redirect)
   */
  static StoreException forIo(String operation, URI uri, URI contacted, IOException e) {
    if (e instanceof StoreException se) {
      return se;
    }
    if (e instanceof HttpConnectTimeoutException) {
      return new StoreException(Kind.UNREACHABLE, operation, uri, "no connection within the "
          + "connect timeout; check the host, the port and any firewall in between", e);
    }
    if (e instanceof HttpTimeoutException) {
      return new StoreException(Kind.TRANSIENT, operation, uri,
          "timed out (" + e.getMessage() + "); the server or the network is slow or stuck", e);
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
        return new StoreException(Kind.UNREACHABLE, operation, uri,
            "unknown host '" + contacted.getHost() + "'; check the URL and DNS", e);
      }
      if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
        return new StoreException(Kind.UNREACHABLE, operation, uri, "cannot connect to "
            + contacted.getHost() + ":" + port(contacted) + "; check that the server is running "
            + "and the host and port are right", e);
      }
      if (t instanceof SSLHandshakeException) {
        return new StoreException(Kind.REJECTED, operation, uri, "TLS handshake failed ("
            + t.getMessage() + "); check the server certificate and the trust store "
            + "(-Djavax.net.ssl.trustStore)", e);
      }
    }
    if (e instanceof InterruptedIOException) {
      return new StoreException(Kind.REJECTED, operation, uri, "interrupted", e);
    }
    if (String.valueOf(e.getMessage()).contains("received no bytes")) {
      return new StoreException(Kind.TRANSIENT, operation, uri, "the server closed the "
          + "connection without answering; it may have crashed or restarted", e);
    }
    return new StoreException(Kind.TRANSIENT, operation, uri, "the connection failed mid-request ("
        + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
  }

  /** Up to {@link #BODY_CHARS} characters of an error page, tags removed, on one line. */
  static String excerpt(String body) {
    if (body == null) {
      return "";
    }
    String text = body.contains("<") ? body.replaceAll("<[^>]*>", " ") : body;
    text = text.replaceAll("\\s+", " ").trim();
    return text.length() <= BODY_CHARS ? text : text.substring(0, BODY_CHARS) + "...";
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }
}
