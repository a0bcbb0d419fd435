package io.ferry.packager.store;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounded retries with exponential backoff and jitter, for {@link StoreException}s whose kind is
 * retryable (5xx, resets, timeouts, unreachable hosts). Anything else fails at once.
 *
 * @param maxAttempts total attempts, at least 1
 * @param initialBackoff the wait before the second attempt
 * @param maxBackoff the cap on any single wait
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

  private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

  /** Four attempts: waits of about 0.5 s, 1 s and 2 s. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(10));

  /** A single attempt. */
  public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: >= 1)");
    }
    if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
      throw new IllegalArgumentException("backoff: negative (expected: >= 0)");
    }
  }

  /** An action that may fail with an I/O error. */
  @FunctionalInterface
  public interface Action<T> {
    T run() throws IOException;
  }

  /** Runs {@code action}, retrying retryable failures; the last failure is thrown. */
  public <T> T run(String what, Action<T> action) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return action.run();
      } catch (StoreException e) {
        if (!e.retryable() || attempt >= maxAttempts) {
          throw e;
        }
        Duration wait = backoff(attempt);
        LOG.warn("{} failed (attempt {} of {}), retrying in {} ms: {}",
            what, attempt, maxAttempts, wait.toMillis(), e.getMessage());
        sleep(wait);
      }
    }
  }

  /** The wait after failed attempt {@code attempt} (1-based): full jitter over an exponential. */
  Duration backoff(int attempt) {
    long base = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
    long capped = Math.min(base, maxBackoff.toMillis());
    if (capped <= 0) {
      return Duration.ZERO;
    }
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }

  private static void sleep(Duration wait) throws IOException {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting to retry");
    }
  }
}
