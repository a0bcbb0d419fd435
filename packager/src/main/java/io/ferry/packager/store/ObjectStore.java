package io.ferry.packager.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * One storage system reached by URI. Every failure is a {@link StoreException} whose message
 * names the URI and what to check.
 *
 * <p>Contract for {@link #put}: publishing is atomic. A failed or interrupted put never leaves a
 * partial object at the final URI: file systems write a temporary sibling and rename it, S3 uses
 * a single PUT or a multipart upload that is aborted on failure, HTTP verifies what the server
 * stored and deletes it if it does not match.
 */
public interface ObjectStore extends Closeable {

  /** The object's size in bytes, or empty if there is no object at {@code uri}. */
  OptionalLong size(URI uri) throws IOException;

  /**
   * Publishes the local file at {@code uri}.
   *
   * @throws StoreException of kind {@link StoreException.Kind#ALREADY_EXISTS} when an object is
   *     there and {@code overwrite} is false
   */
  void put(Path source, URI uri, boolean overwrite, TransferListener listener) throws IOException;

  /**
   * Whether {@code uri} names an existing directory, into which a put of a file given without its
   * name goes (as with {@code hadoop fs -put}). False where the store has no such notion.
   */
  default boolean isDirectory(URI uri) throws IOException {
    return false;
  }

  /** Opens the object for reading. Missing objects fail with {@link StoreException.Kind#NOT_FOUND}. */
  InputStream open(URI uri) throws IOException;

  /** Deletes the object; returns false if there was none. */
  boolean delete(URI uri) throws IOException;

  @Override
  default void close() throws IOException {}
}
