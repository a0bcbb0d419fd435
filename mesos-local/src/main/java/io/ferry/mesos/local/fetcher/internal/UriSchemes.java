package io.ferry.mesos.local.fetcher.internal;

import java.util.Locale;

/**
 * Which fetcher handles a URI, decided on its text as Mesos decides it: {@code file://} and
 * scheme-less values are local copies, {@code http(s)://} goes over HTTP, anything else with a
 * {@code scheme://} goes to the store clients (where Mesos would run
 * {@code hadoop fs -copyToLocal}).
 */
public final class UriSchemes {

  /** How a URI is fetched. */
  public enum Kind {
    LOCAL,
    HTTP,
    STORE
  }

  private UriSchemes() {}

  /**
   * Whether the value starts with a {@code scheme://}. As in Mesos, a scheme needs at least two
   * characters, so {@code c://x} is a relative path.
   */
  public static boolean hasScheme(String uri) {
    return uri.indexOf("://") > 1;
  }

  public static Kind kind(String uri) {
    String lower = uri.toLowerCase(Locale.ROOT);
    if (lower.startsWith("file://") || !uri.contains("://")) {
      return Kind.LOCAL;
    }
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      return Kind.HTTP;
    }
    return Kind.STORE;
  }
}
