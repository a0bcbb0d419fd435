package io.ferry.packager;

import io.ferry.packager.internal.Background;
import io.ferry.packager.store.ObjectStore;
import io.ferry.packager.store.StoreException;
import io.ferry.packager.store.StoreException.Kind;
import io.ferry.packager.store.Stores;
import io.ferry.packager.store.TransferListener;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes an archive and its {@code .sha512} sidecar to a URI.
 *
 * <p>The archive goes first, atomically (see {@link ObjectStore#put}); the sidecar follows and
 * names the object as published, so {@code sha512sum -c} works on a downloaded pair. An existing
 * archive is refused unless {@code overwrite}; a stale sidecar with no archive beside it is
 * replaced. Retries of transient failures happen inside each store, under one policy.
 */
public final class Publisher {

  /** What was published. */
  public record Result(URI archive, URI sidecar, long size, String sha512) {}

  private final Stores stores;

  public Publisher(Stores stores) {
    this.stores = stores;
  }

  /**
   * Publishes {@code archive} at {@code target}, or into it when {@code target} is a directory: a
   * URI whose path ends with {@code /}, or an existing directory (as {@code hadoop fs -put}
   * decides), in which case the archive keeps its own file name. {@code listener} hears
   * "finished" for the archive only once its checksum file is published too, so nothing is
   * reported done that is not.
   */
  public Result publish(Path archive, URI target, boolean overwrite, TransferListener listener)
      throws IOException {
    URI localUri = archive.toAbsolutePath().toUri();
    if (!Files.isRegularFile(archive)) {
      throw new StoreException(Kind.NOT_FOUND, "read", localUri,
          Files.exists(archive) ? "not a regular file" : "no such file; build it first with make-distribution.sh --tgz");
    }
    long size = Files.size(archive);
    // The checksum is read from disk on its own thread while the upload runs: one more core busy
    // instead of one more pass over the file before the first byte goes out.
    CompletableFuture<String> checksum = Background.supply("ferry-sha512", () -> Sha512.of(archive));
    String hex;
    URI object;
    URI sidecarUri;
    HeldCompletion progress = new HeldCompletion(listener);
    try (ObjectStore store = stores.forUri(target)) {
      object = Locations.namesDirectory(target) || store.isDirectory(target)
          ? Locations.child(target, archive.getFileName().toString())
          : target;
      sidecarUri = Locations.sidecar(object);
      store.put(archive, object, overwrite, progress);
      hex = Background.join(checksum);
      // Written only now, so that a process killed mid-upload leaves no temporary file behind.
      Path sidecarFile = Files.createTempFile("ferry-", ".sha512");
      try {
        Files.writeString(sidecarFile, TarballBuilder.sidecarLine(hex, Locations.fileName(object)));
        store.put(sidecarFile, sidecarUri, true, TransferListener.NONE);
      } catch (StoreException e) {
        throw new StoreException(e.kind(), "upload", sidecarUri, "the archive was published but its checksum"
            + " file was not (" + e.getMessage() + "); run the upload again with --overwrite", e);
      } finally {
        Files.deleteIfExists(sidecarFile);
      }
      progress.release(true);
    } finally {
      progress.release(false);
    }
    return new Result(object, sidecarUri, size, hex);
  }

  /**
   * Passes a transfer's progress on but holds back its successful end until {@link #release}:
   * the archive's put succeeding is not yet the publication succeeding.
   */
  private static final class HeldCompletion implements TransferListener {
    private final TransferListener delegate;
    private boolean started;
    private boolean reported;

    HeldCompletion(TransferListener delegate) {
      this.delegate = delegate;
    }

    @Override
    public void started(String what, long totalBytes) {
      started = true;
      reported = false; // a store's retry starts the transfer again after reporting a failed try
      delegate.started(what, totalBytes);
    }

    @Override
    public void transferred(long bytes) {
      delegate.transferred(bytes);
    }

    @Override
    public void finished(boolean success) {
      if (!success) {
        release(false);
      }
    }

    /** Reports the end once: the first call wins; nothing if the transfer never started. */
    void release(boolean success) {
      if (started && !reported) {
        reported = true;
        delegate.finished(success);
      }
    }
  }
}
