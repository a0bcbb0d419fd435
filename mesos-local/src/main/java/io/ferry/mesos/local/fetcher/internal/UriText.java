package io.ferry.mesos.local.fetcher.internal;

import io.ferry.packager.store.Redaction;

/**
 * Keeps secrets out of the fetch log and failure messages: a URI's {@code user:password@} and its
 * query string (pre-signed URLs carry their signature there) are replaced by
 * {@value Redaction#REDACTED}. Works on the text as given, so URIs that do not parse are redacted
 * too.
 */
public final class UriText {

  private UriText() {}

  public static String redact(String value) {
    int scheme = value.indexOf("://");
    if (scheme < 0) {
      return value;
    }
    String text = value;
    int authority = scheme + 3;
    int path = text.indexOf('/', authority);
    int end = path < 0 ? text.length() : path;
    int at = text.lastIndexOf('@', end - 1);
    if (at >= authority) {
      text = text.substring(0, authority) + Redaction.REDACTED + text.substring(at);
    }
    int query = text.indexOf('?');
    if (query >= 0) {
      text = text.substring(0, query + 1) + Redaction.REDACTED;
    }
    return text;
  }
}
