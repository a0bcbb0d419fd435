package io.ferry.mesos.local.fetcher.internal;

import java.util.Optional;

/**
 * Names a download the way Mesos's fetcher does: URIs are treated like file paths, so the name is
 * the text after the last {@code /} and a query string stays part of it ({@code x.tgz?sig=1} is
 * not recognised as an archive; set {@code output_file} to name it).
 */
public final class LocalNamer {

  private LocalNamer() {}

  /**
   * The name of what {@code uri} points at, or empty if it names no file (a trailing {@code /},
   * {@code .} or {@code ..}). With a {@code scheme://}, everything after the last {@code /};
   * without one, a path's last segment, trailing slashes ignored.
   */
  public static Optional<String> basename(String uri) {
    String name;
    if (UriSchemes.hasScheme(uri)) {
      name = uri.substring(uri.lastIndexOf('/') + 1);
    } else {
      String path = uri;
      while (path.length() > 1 && path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      name = path.substring(path.lastIndexOf('/') + 1);
    }
    if (name.isEmpty() || name.equals(".") || name.equals("..")) {
      return Optional.empty();
    }
    return Optional.of(name);
  }
}
