package io.ferry.packager.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Placeholder until the implementation lands in this same change. */
final class S3Store implements ObjectStore {
  S3Store(Object options, RetryPolicy retry) {}

  @Override
  public OptionalLong size(URI uri) throws IOException {
    throw new UnsupportedOperationException("S3Store");
  }

  @Override
  public void put(Path source, URI uri, boolean overwrite, TransferListener listener) throws IOException {
    throw new UnsupportedOperationException("S3Store");
  }

  @Override
  public InputStream open(URI uri) throws IOException {
    throw new UnsupportedOperationException("S3Store");
  }

  @Override
  public boolean delete(URI uri) throws IOException {
    throw new UnsupportedOperationException("S3Store");
  }
}
