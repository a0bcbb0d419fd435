package io.ferry.mesos.local.fetcher.internal;

import io.ferry.mesos.local.fetcher.FetchException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Fetches one validated URI into a sandbox, directly or through the cache, then makes it
 * executable, unpacks it or gunzips it, in the order and with the outcomes of Mesos's
 * {@code mesos-fetcher}. Cache problems (size unknown, no room, the cache directory unwritable)
 * fall back to a direct download; a failure of the source itself fails the fetch either way.
 */
public final class UriFetcher {

  private final Downloaders downloaders;
  private final Optional<FetchCache> cache;

  public UriFetcher(Downloaders downloaders, Optional<FetchCache> cache) {
    this.downloaders = downloaders;
    this.cache = cache;
  }

  /**
   * Fetches {@code item} into {@code sandbox} (a real path) as {@code user}, within the session's
   * budget.
   *
   * @throws FetchException naming the URI, whatever failed
   */
  public void fetch(FetchItem item, Path sandbox, Optional<String> user, FetchSession session,
      FetchLog log) throws FetchException {
    log.info("Fetching URI '" + item.redacted() + "'");
    try {
      Path result = null;
      if (item.cache() && cache.isPresent()) {
        result = throughCache(cache.get(), item, sandbox, user, session, log);
      }
      if (result == null) {
        result = direct(item, sandbox, session, log);
      }
      log.info("Fetched '" + item.redacted() + "' to '" + result + "'");
    } catch (FetchException e) {
      throw e.uri().isPresent() ? e : new FetchException(item.value(), e.reason(), e.getCause());
    } catch (IOException e) {
      throw new FetchException(item.value(), localFailure(e, sandbox), e);
    } catch (RuntimeException e) {
      // A bug or a client library's unchecked failure: still a failed fetch, not a dead agent.
      throw new FetchException(item.value(), "unexpected failure: "
          + ReasonText.quote(e.toString()), e);
    }
  }

  /**
   * A local write that failed, short and with the hint that fits the error: the disk for
   * "No space left on device", permissions for a refusal, nothing for the rest.
   */
  static String localFailure(IOException e, Path sandbox) {
    if (e instanceof FileSystemException fse) {
      String reason = fse.getReason() != null ? fse.getReason()
          : e instanceof AccessDeniedException ? "Permission denied" : e.getClass().getSimpleName();
      String file = fse.getFile() == null ? "" : " '" + ReasonText.quote(shown(fse.getFile(), sandbox)) + "'";
      String hint = reason.contains("No space left") || reason.contains("quota")
          ? "; check the free space of the file system that holds " + sandbox
          : e instanceof AccessDeniedException || reason.contains("Permission denied")
              ? "; check the permissions of " + sandbox : "";
      return "writing" + file + " in the sandbox failed: " + ReasonText.quote(reason) + hint;
    }
    return "a local file operation in the sandbox failed: " + ReasonText.quote(e.toString());
  }

  private static String shown(String file, Path sandbox) {
    String root = sandbox.toString() + "/";
    return file.startsWith(root) ? file.substring(root.length()) : file;
  }

  private Path direct(FetchItem item, Path sandbox, FetchSession session, FetchLog log)
      throws FetchException, IOException {
    log.info("Fetching directly into the sandbox directory");
    Path target = sandbox.resolve(item.localName());
    Files.createDirectories(target.getParent());
    Downloader downloader = downloaders.forUri(item.value());
    log.info("Downloading '" + item.redacted() + "' to '" + target + "'");
    AtomicFile.write(target, temp -> downloader.download(item.value(), temp, session,
        "downloading '" + ReasonText.quote(item.localName()) + "'"));
    if (item.executable()) {
      return chmodExecutable(target);
    }
    if (item.extract()) {
      unpack(item, target, sandbox, session, log);
    }
    return target;
  }

  /** The fetched path, or null to fetch directly instead. */
  private Path throughCache(FetchCache cache, FetchItem item, Path sandbox, Optional<String> user,
      FetchSession session, FetchLog log) throws FetchException, IOException {
    String basename = LocalNamer.basename(item.value()).orElse(item.localBasename());
    Optional<FetchCache.Lease> held = cache.reference(user, item.value(), basename);
    if (held.isEmpty()) {
      log.warn("Not caching: the user name '" + user.orElse("") + "' cannot name a cache directory");
      return null;
    }
    FetchCache.Lease lease = held.get();
    try {
      if (!lease.owner()) {
        if (!awaitOwner(lease)) {
          log.warn("Reverting to fetching directly into the sandbox: another fetch of this URI"
              + " through the cache failed");
          return null;
        }
        log.info("Fetching from cache");
        return fromCache(item, lease.file(), sandbox, session, log);
      }
      return fillAndUse(cache, lease, item, sandbox, session, log);
    } finally {
      cache.release(lease);
    }
  }

  private Path fillAndUse(FetchCache cache, FetchCache.Lease lease, FetchItem item, Path sandbox,
      FetchSession session, FetchLog log) throws FetchException, IOException {
    boolean done = false;
    try {
      Downloader downloader = downloaders.forUri(item.value());
      long size;
      try {
        size = downloader.size(item.value(), session);
      } catch (FetchException e) {
        log.warn("Reverting to fetching directly into the sandbox: could not determine the size"
            + " for the cache: " + e.reason());
        return null;
      }
      if (!cache.reserve(lease, size)) {
        log.warn("Reverting to fetching directly into the sandbox: " + size
            + " bytes do not fit in the fetcher cache (capacity " + cache.capacity() + ")");
        return null;
      }
      log.info("Downloading into cache");
      try {
        Files.createDirectories(lease.file().getParent());
        // The cache has its own capacity; the sandbox's limit applies when the file leaves it.
        AtomicFile.write(lease.file(), temp -> downloader.download(item.value(), temp,
            session.forCache(), "downloading into the cache"));
      } catch (IOException e) {
        log.warn("Reverting to fetching directly into the sandbox: cannot write the cache file "
            + lease.file() + ": " + e);
        return null;
      }
      log.info("Fetching from cache");
      Path result = fromCache(item, lease.file(), sandbox, session, log);
      cache.complete(lease);
      done = true;
      return result;
    } finally {
      if (!done) {
        cache.fail(lease);
      }
    }
  }

  private static boolean awaitOwner(FetchCache.Lease lease) throws FetchException {
    try {
      return FetchCache.await(lease);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchException(null, "interrupted while waiting for the cache", e);
    }
  }

  /** Mesos's {@code fetchFromCache}: an unpacked archive leaves only its contents. */
  private Path fromCache(FetchItem item, Path cached, Path sandbox, FetchSession session,
      FetchLog log) throws FetchException, IOException {
    Path target = sandbox.resolve(item.localName());
    Files.createDirectories(target.getParent());
    if (item.executable()) {
      copyFromCache(item, cached, target, session);
      return chmodExecutable(target);
    }
    if (item.extract()) {
      ArchiveFormat format = ArchiveFormat.of(item.localBasename());
      if (format != ArchiveFormat.NONE) {
        return unpack(item, cached, sandbox, session, log);
      }
    }
    copyFromCache(item, cached, target, session);
    return target;
  }

  private static void copyFromCache(FetchItem item, Path cached, Path target,
      FetchSession session) throws FetchException, IOException {
    String what = "copying '" + ReasonText.quote(item.localName()) + "' from the cache";
    session.budget().checkFits(Files.size(cached), what);
    AtomicFile.write(target, temp -> {
      try (InputStream in = Files.newInputStream(cached)) {
        ByteCopy.copy(in, temp, session.budget(), what, n -> { }, e -> new FetchException(null,
            "reading the cache file " + cached + " failed: " + ReasonText.quote(e.toString()), e));
      }
    });
  }

  /** Unpacks or gunzips {@code file} as its local name says; returns where the result went. */
  private static Path unpack(FetchItem item, Path file, Path sandbox, FetchSession session,
      FetchLog log) throws FetchException, IOException {
    String name = item.localBasename();
    ArchiveFormat format = ArchiveFormat.of(name);
    if (format.isArchive()) {
      SafeExtractor.extract(file, format, sandbox, name, session.budget());
      log.info("Extracted '" + name + "' into '" + sandbox + "'");
      return sandbox;
    }
    if (format == ArchiveFormat.GZIP) {
      String plain = name.substring(0, name.length() - ".gz".length());
      if (plain.isEmpty()) {
        throw new FetchException(null, "cannot gunzip '" + ReasonText.quote(name)
            + "': no name is left without .gz; set output_file");
      }
      Path target = sandbox.resolve(plain);
      SafeExtractor.gunzip(file, target, name, session.budget());
      log.info("Extracted '" + name + "' into '" + target + "'");
      return target;
    }
    log.info("Not extracting '" + name + "': its name is not one of an archive's");
    return file;
  }

  private static Path chmodExecutable(Path file) throws IOException {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
