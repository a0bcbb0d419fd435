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
}
