package io.ferry.mesos.local.fetcher.internal;

import io.ferry.mesos.local.fetcher.FetchException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code file://} URIs and plain paths: a copy of a local file (symlinks followed), as Mesos's
 * {@code os::copyfile}. Relative paths are resolved against {@code --frameworks_home}. The file is
 * read through the session's {@link LocalReads}: as the task's user when the agent switches users,
 * so a task gets only files its user may read.
 */
final class LocalCopier implements Downloader {

  private final Optional<Path> frameworksHome;

  LocalCopier(Optional<Path> frameworksHome) {
    this.frameworksHome = frameworksHome;
  }

  @Override
  public long size(String uri, FetchSession session) throws FetchException {
    Path path = source(uri);
    try {
      return session.reads().size(path);
    } catch (IOException e) {
      throw failure(uri, path, session.reads(), e);
    }
  }

  @Override
  public void download(String uri, Path target, FetchSession session, String what)
      throws FetchException, IOException {
    Path path = source(uri);
    LocalReads reads = session.reads();
    InputStream in;
    try {
      in = reads.open(path);
    } catch (IOException e) {
      throw failure(uri, path, reads, e);
    }
    try (in) {
      ByteCopy.copy(in, target, session.budget(), what, n -> { },
          e -> failure(uri, path, reads, e));
    }
  }

  private static FetchException failure(String uri, Path path, LocalReads reads, IOException e) {
    String where = "'" + ReasonText.quote(path.toString()) + "'" + reads.as();
    if (e instanceof NoSuchFileException) {
      return new FetchException(uri, "no such file " + where);
    }
    if (e instanceof AccessDeniedException) {
      return new FetchException(uri, "permission denied reading " + where);
    }
    if (e instanceof FileSystemException fse && "Is a directory".equals(fse.getReason())) {
      return new FetchException(uri, where + " is a directory; only files can be fetched");
    }
    return new FetchException(uri, "cannot read " + where + ": "
        + ReasonText.quote(String.valueOf(e.getMessage())), e);
  }

  private Path source(String uri) throws FetchException {
    Path path = LocalSource.path(uri, frameworksHome);
    if (uri.endsWith("/")) {
      throw new FetchException(uri, "'" + ReasonText.quote(path.toString())
          + "' is a directory; only files can be fetched");
    }
    return path;
  }
}
