package io.ferry.packager.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for an HTTP exchange that may legitimately take long (a 100 MB upload) but must not hang:
 * it fails when nothing moved for the idle time. {@code HttpRequest.timeout} cannot do this, as
 * it bounds the whole time to the response headers, body upload included. The body publisher and
 * subscribers call {@link #touch()} as bytes go by.
 */
final class IdleWatch {

  private final long idleNanos;
  private volatile long last = System.nanoTime();

  IdleWatch(Duration idle) {
    this.idleNanos = idle.toNanos();
  }

  /** Something moved: restart the idle clock. */
  void touch() {
    last = System.nanoTime();
  }

  /**
   * The exchange's result; cancels it (which aborts it) if idle too long or if interrupted.
   * Failures of the exchange are rethrown as they came, unwrapped.
   */
  <T> T await(CompletableFuture<T> exchange) throws IOException {
    touch();
    while (true) {
      long wait = last + idleNanos - System.nanoTime();
      if (wait <= 0) {
        exchange.cancel(true);
        throw new HttpTimeoutException("nothing sent or received for "
            + TimeUnit.NANOSECONDS.toSeconds(idleNanos) + " s");
      }
      try {
        return exchange.get(wait, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        // Loop: if bytes moved meanwhile the clock has restarted.
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IOException io) {
          throw io;
        }
        throw new IOException(String.valueOf(cause), cause);
      } catch (CancellationException e) {
        throw new InterruptedIOException("cancelled");
      } catch (InterruptedException e) {
        exchange.cancel(true);
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for the server");
      }
    }
  }
}
