package io.ferry.mesos.local.fetcher.internal;

import io.ferry.mesos.local.fetcher.FetchException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Maps a local URI to a path as Mesos does: {@code file://localhost/p} and {@code file:///p} are
 * {@code /p} (no percent-decoding: the text is the path), a {@code file://} URI must be absolute,
 * and a scheme-less relative path is joined to {@code --frameworks_home}, failing if that is unset.
 */
public final class LocalSource {

  private static final String FILE = "file://";
  private static final String FILE_LOCALHOST = "file://localhost";

  private LocalSource() {}

  public static Path path(String uri, Optional<Path> frameworksHome) throws FetchException {
    String path = uri;
    boolean fileUri = false;
    if (path.startsWith(FILE_LOCALHOST)) {
      path = path.substring(FILE_LOCALHOST.length());
      fileUri = true;
    } else if (path.startsWith(FILE)) {
      path = path.substring(FILE.length());
      fileUri = true;
    }
    if (fileUri && !path.startsWith("/")) {
      throw new FetchException(uri, "a file:// URI must hold an absolute path"
          + " (file:///path or file://localhost/path)");
    }
    if (!path.startsWith("/")) {
      if (frameworksHome.isEmpty()) {
        throw new FetchException(uri, "a relative path was given but the frameworks home"
            + " (--frameworks_home) is not set; set it or use an absolute path");
      }
      return frameworksHome.get().resolve(path);
    }
    return Path.of(path);
  }
}
