package io.ferry.mesos.local.fetcher.internal;

import io.ferry.mesos.local.fetcher.FetchException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code file://} URIs and plain paths: a copy of a local file (symlinks followed), as Mesos's
 * {@code os::copyfile}. Relative paths are resolved against {@code --frameworks_home}.
 */
final class LocalCopier implements Downloader {

  private final Optional<Path> frameworksHome;

  LocalCopier(Optional<Path> frameworksHome) {
    this.frameworksHome = frameworksHome;
  }

  @Override
  public long size(String uri) throws FetchException {
    Path path = source(uri);
    try {
      return Files.size(path);
    } catch (IOException e) {
      throw new FetchException(uri, "cannot determine the size of '" + path + "': " + e);
    }
  }

  @Override
  public void download(String uri, Path target) throws FetchException, IOException {
    Path path = source(uri);
    InputStream in;
    try {
      in = Files.newInputStream(path);
    } catch (NoSuchFileException e) {
      throw new FetchException(uri, "no such file '" + path + "'");
    } catch (AccessDeniedException e) {
      throw new FetchException(uri, "permission denied reading '" + path + "'");
    } catch (IOException e) {
      throw new FetchException(uri, "cannot read '" + path + "': " + e.getMessage(), e);
    }
    try (in) {
      ByteCopy.copy(in, target, n -> { }, e -> new FetchException(uri,
          "reading '" + path + "' failed: " + e.getMessage(), e));
    }
  }

  private Path source(String uri) throws FetchException {
    Path path = LocalSource.path(uri, frameworksHome);
    if (uri.endsWith("/") || Files.isDirectory(path)) {
      throw new FetchException(uri, "'" + path + "' is a directory; only files can be fetched");
    }
    return path;
  }
}
