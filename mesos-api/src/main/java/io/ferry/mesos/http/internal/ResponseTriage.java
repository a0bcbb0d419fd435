package io.ferry.mesos.http.internal;

import io.ferry.mesos.http.RetryPolicy;
import java.time.Duration;
import java.util.Optional;

/**
 * The one place that decides what a status code means, shared by SUBSCRIBE and the other calls:
 * 200/202 succeed, 307 is followed (at most {@code maxRedirects} times), 503 is retried by the
 * policy, everything else fails. 4xx are never retried: Mesos would answer the same.
 */
final class ResponseTriage {
  private final RetryPolicy retryPolicy;
  private final int maxRedirects;

  ResponseTriage(RetryPolicy retryPolicy, int maxRedirects) {
    this.retryPolicy = retryPolicy;
    this.maxRedirects = maxRedirects;
  }

  /**
   * @param retries 503s already retried for this call
   * @param redirects 307s already followed for this call
   */
  NextStep next(String callType, HttpTarget url, int status, String location, String body, int retries,
      int redirects) {
    if (status == 200 || status == 202) {
      return new NextStep.Succeed();
    }
    if (status == 307) {
      if (redirects >= maxRedirects) {
        return new NextStep.Fail(Failures.redirect(callType, url, "too many redirects (" + (redirects + 1)
            + ", at most " + maxRedirects + " followed); last Location '" + location + "'"));
      }
      try {
        return new NextStep.Redirect(url.resolve(location));
      } catch (IllegalArgumentException e) {
        return new NextStep.Fail(Failures.redirect(callType, url, "cannot follow the redirect: " + e.getMessage()));
      }
    }
    if (status == 503) {
      Optional<Duration> backoff = retryPolicy.backoffBeforeRetry(retries + 1);
      if (backoff.isPresent()) {
        return new NextStep.Retry(backoff.get());
      }
    }
    return new NextStep.Fail(Failures.forStatus(callType, url, status, body, retries));
  }
}
