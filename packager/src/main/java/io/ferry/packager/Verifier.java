package io.ferry.packager;

import io.ferry.packager.store.ObjectStore;
import io.ferry.packager.store.StoreException;
import io.ferry.packager.store.StoreException.Kind;
import io.ferry.packager.store.Stores;
import io.ferry.packager.store.TransferListener;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/** Checks that a published object is reachable and matches its {@code .sha512} sidecar. */
public final class Verifier {

  /** What was checked. */
  public record Result(URI uri, long size, String sha512) {}

  private static final int MAX_SIDECAR = 64 * 1024;

  private final Stores stores;

  public Verifier(Stores stores) {
    this.stores = stores;
  }

  public Result verify(URI uri, TransferListener listener) throws IOException {
    URI sidecarUri = Locations.sidecar(uri);
    try (ObjectStore store = stores.forUri(uri)) {
      OptionalLong size = store.size(uri);
      if (size.isEmpty()) {
        throw new StoreException(Kind.NOT_FOUND, "verify", uri,
            "no object there; check the URI or publish it with ferry-package upload");
      }
      String expected = readSidecar(store, sidecarUri);
      String actual;
      listener.started(uri.toString(), size.getAsLong());
      boolean ok = false;
      try (InputStream in = new Counting(store.open(uri), listener)) {
        actual = Sha512.of(in);
        ok = true;
      } finally {
        listener.finished(ok);
      }
      if (!expected.equals(actual)) {
        throw new StoreException(Kind.CORRUPT, "verify", uri, "SHA-512 mismatch: expected "
            + abbreviate(expected) + " (from " + Locations.fileName(sidecarUri) + "), got "
            + abbreviate(actual) + "; the object is damaged or was replaced without its checksum file:"
            + " upload it again with --overwrite");
      }
      return new Result(uri, size.getAsLong(), actual);
    }
  }

  private static String readSidecar(ObjectStore store, URI sidecarUri) throws IOException {
    if (store.size(sidecarUri).isEmpty()) {
      throw new StoreException(Kind.NOT_FOUND, "verify", sidecarUri,
          "no checksum file beside the object; ferry-package upload writes one");
    }
    byte[] bytes;
    try (InputStream in = store.open(sidecarUri)) {
      bytes = in.readNBytes(MAX_SIDECAR);
    }
    return Sha512.parseSidecar(new String(bytes, StandardCharsets.UTF_8))
        .orElseThrow(() -> new StoreException(Kind.CORRUPT, "verify", sidecarUri,
            "not a SHA-512 checksum file (expected 128 hex digits, as sha512sum prints)"));
  }

  private static String abbreviate(String hex) {
    return hex.substring(0, 16) + "...";
  }

  /** Reports bytes read to a listener. */
  private static final class Counting extends FilterInputStream {
    private final TransferListener listener;

    Counting(InputStream in, TransferListener listener) {
      super(in);
      this.listener = listener;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        listener.transferred(n);
      }
      return n;
    }
  }
}
