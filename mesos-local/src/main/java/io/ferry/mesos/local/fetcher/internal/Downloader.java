package io.ferry.mesos.local.fetcher.internal;

import io.ferry.mesos.local.fetcher.FetchException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Gets the bytes behind one kind of URI. Failures are split by side, because the cache treats
 * them differently: a {@link FetchException} is the source's fault (missing, refused, stalled)
 * and fails the fetch; a plain {@link IOException} is a local write failing, which for a cache
 * file only means "fetch directly instead".
 */
public interface Downloader {

  /**
   * The size of what {@code uri} names, which the cache must reserve before downloading.
   *
   * @throws FetchException if the size cannot be known; the cache is then bypassed
   */
  long size(String uri, FetchSession session) throws FetchException;

  /**
   * Writes everything {@code uri} names into {@code target}, which exists and is empty, charging
   * every chunk to the session's budget before writing it.
   *
   * @param what the bytes as a reason names them, e.g. {@code "downloading 'x.tgz'"}
   */
  void download(String uri, Path target, FetchSession session, String what)
      throws FetchException, IOException;
}
