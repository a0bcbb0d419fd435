package io.ferry.packager.store;

import java.net.URI;

/** Keeps secrets out of messages: user-info in URIs and query strings (pre-signed URLs). */
public final class Redaction {

  public static final String REDACTED = "[REDACTED]";

  private Redaction() {}

  /** The URI as text with any {@code user:password@} and query string replaced. */
  public static String uri(URI uri) {
    if (uri == null) {
      return "<none>";
    }
    if (uri.getRawUserInfo() == null && uri.getRawQuery() == null) {
      return uri.toString();
    }
    StringBuilder out = new StringBuilder();
    if (uri.getScheme() != null) {
      out.append(uri.getScheme()).append(':');
    }
    if (uri.getRawAuthority() != null) {
      out.append("//");
      if (uri.getRawUserInfo() != null) {
        out.append(REDACTED).append('@');
      }
      out.append(uri.getHost() == null ? "" : uri.getHost());
      if (uri.getPort() >= 0) {
        out.append(':').append(uri.getPort());
      }
    }
    out.append(uri.getRawPath() == null ? "" : uri.getRawPath());
    if (uri.getRawQuery() != null) {
      out.append('?').append(REDACTED);
    }
    return out.toString();
  }
}
