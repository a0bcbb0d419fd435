package io.ferry.packager.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Runs one I/O-bound computation on its own named daemon thread, beside the caller's work. */
public final class Background {

  /** A computation that may fail with an I/O error. */
  @FunctionalInterface
  public interface IoSupplier<T> {
    T get() throws IOException;
  }

  private Background() {}

  public static <T> CompletableFuture<T> supply(String threadName, IoSupplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        result.complete(work.get());
      } catch (IOException | RuntimeException | Error e) {
        result.completeExceptionally(e);
      }
    }, threadName);
    t.setDaemon(true);
    t.start();
    return result;
  }

  /** Waits for the result; its I/O failure is rethrown as it was. */
  public static <T> T join(CompletableFuture<T> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for " + future);
    } catch (ExecutionException e) {
      throw rethrow(e);
    }
  }

  /**
   * Throws the cause of a failed task as it was: an {@link IOException}, a runtime exception or
   * an error. Declared to return an exception so that callers can write {@code throw rethrow(e)}.
   */
  public static IOException rethrow(ExecutionException e) throws IOException {
    Throwable cause = e.getCause();
    if (cause instanceof IOException io) {
      throw io;
    }
    if (cause instanceof RuntimeException re) {
      throw re;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    throw new IOException(cause);
  }
}
