package io.ferry.packager.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Placeholder until the implementation lands in this same change. */
final class HttpStore implements ObjectStore {
  HttpStore(Object options, RetryPolicy retry) {}

  @Override
  public OptionalLong size(URI uri) throws IOException {
    throw new UnsupportedOperationException("HttpStore");
  }

  @Override
  public void put(Path source, URI uri, boolean overwrite, TransferListener listener) throws IOException {
    throw new UnsupportedOperationException("HttpStore");
  }

  @Override
  public InputStream open(URI uri) throws IOException {
    throw new UnsupportedOperationException("HttpStore");
  }

  @Override
  public boolean delete(URI uri) throws IOException {
    throw new UnsupportedOperationException("HttpStore");
  }
}
