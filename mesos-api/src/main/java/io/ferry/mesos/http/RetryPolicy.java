package io.ferry.mesos.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How often and how patiently a call answered with 503 Service Unavailable is tried again: up to
 * {@code maxRetries} more times, waiting {@code initialBackoff}, then twice as long each time, at
 * most {@code maxBackoff}. 4xx answers and connection failures are never retried here.
 *
 * <pre>{@code
 * RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(10));
 * }</pre>
 */
public record RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff) {

  /** Never retry. */
  public static RetryPolicy none() {
    return new RetryPolicy(0, Duration.ZERO, Duration.ZERO);
  }

  /** 5 retries, 100 ms doubling up to 10 s. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(10));
  }

  public RetryPolicy {
    List<String> errors = new ArrayList<>();
    if (maxRetries < 0) {
      errors.add("maxRetries: " + maxRetries + " (expected: >= 0)");
    }
    if (initialBackoff == null || initialBackoff.isNegative()) {
      errors.add("initialBackoff: " + initialBackoff + " (expected: >= 0)");
    }
    if (maxBackoff == null || initialBackoff != null && maxBackoff.compareTo(initialBackoff) < 0) {
      errors.add("maxBackoff: " + maxBackoff + " (expected: >= initialBackoff " + initialBackoff + ")");
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid RetryPolicy: " + String.join("; ", errors));
    }
  }

  /**
   * The wait before retry number {@code retry} (1 for the first retry), or empty when the policy
   * allows no more.
   */
  public Optional<Duration> backoffBeforeRetry(int retry) {
    if (retry < 1 || retry > maxRetries) {
      return Optional.empty();
    }
    // Past 2^30 any realistic backoff has hit the cap; stop doubling before the long overflows.
    int doublings = Math.min(retry - 1, 30);
    long nanos = initialBackoff.toNanos();
    long scaled = nanos > (Long.MAX_VALUE >> doublings) ? Long.MAX_VALUE : nanos << doublings;
    return Optional.of(scaled >= maxBackoff.toNanos() ? maxBackoff : Duration.ofNanos(scaled));
  }
}
