package io.ferry.mesos.http;

import io.ferry.mesos.ContentType;
import java.net.URI;
import java.util.Optional;

/** An open SUBSCRIBE stream, as returned by {@link MesosClient#subscribe}. */
public interface Subscription extends AutoCloseable {

  /** The URL the stream was opened at, after any redirects. */
  URI url();

  /** The stream's content type, as the server confirmed it. */
  ContentType contentType();

  /** The {@code Mesos-Stream-Id} the master assigned (scheduler API only). */
  Optional<String> streamId();

  /** Whether the stream is still open; false once the listener has been (or is about to be) told. */
  boolean isOpen();

  /**
   * Closes the stream; the listener then gets {@code onClosed(null)}. Harmless when already
   * closed. Does not wait.
   */
  @Override
  void close();
}
