package io.ferry.packager.store;

/** Progress of one transfer. Called from the transferring thread; implementations are cheap. */
public interface TransferListener {

  TransferListener NONE = new TransferListener() {};

  /** The transfer of {@code totalBytes} (or -1 if unknown) begins. */
  default void started(String what, long totalBytes) {}

  /** {@code bytes} more bytes were transferred. */
  default void transferred(long bytes) {}

  /** The transfer ended, successfully or not. */
  default void finished(boolean success) {}
}
