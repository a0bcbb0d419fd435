package io.ferry.packager;

import java.net.URI;
import java.net.URISyntaxException;

/** Names derived from a target URI. */
public final class Locations {

  private Locations() {}

  /** The sidecar beside an object: the same URI with {@code .sha512} added to the path. */
  public static URI sidecar(URI uri) {
    try {
      return new URI(uri.getScheme(), uri.getRawAuthority() == null ? null : uri.getAuthority(),
          uri.getPath() + ".sha512", null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot derive a sidecar URI from " + uri, e);
    }
  }

  /** The last path segment of a URI, which is also the name Mesos's fetcher saves it under. */
  public static String fileName(URI uri) {
    String path = uri.getPath() == null ? "" : uri.getPath();
    int slash = path.lastIndexOf('/');
    return path.substring(slash + 1);
  }

  /**
   * Whether the URI names a directory by its form, as {@code hadoop fs -put} reads it: its path
   * ends with {@code /}, or it has none ({@code s3://bucket}, {@code hdfs://nn:8020}).
   */
  public static boolean namesDirectory(URI uri) {
    String path = uri.getPath();
    return path == null || path.isEmpty() || path.endsWith("/");
  }

  /**
   * {@code name} inside the directory {@code dir} names (with or without its trailing slash), in
   * the form the user wrote it ({@code file:///d/} stays {@code file:///d/name}).
   */
  public static URI child(URI dir, String name) {
    String base = dir.toString();
    int cut = base.length();
    for (char c : new char[] {'?', '#'}) {
      int at = base.indexOf(c);
      if (at >= 0 && at < cut) {
        cut = at;
      }
    }
    base = base.substring(0, cut);
    try {
      String encoded = new URI(null, null, "/" + name, null).getRawPath().substring(1);
      return new URI(base + (base.endsWith("/") ? "" : "/") + encoded);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot name " + name + " inside " + dir, e);
    }
  }
}
