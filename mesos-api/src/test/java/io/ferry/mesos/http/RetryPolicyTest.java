package io.ferry.mesos.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RetryPolicyTest {

  @Test
  void backoffDoublesUpToTheCapAndStopsAtTheMaximum() {
    RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(500));
    assertThat(policy.backoffBeforeRetry(0)).isEmpty();
    assertThat(policy.backoffBeforeRetry(1)).contains(Duration.ofMillis(100));
    assertThat(policy.backoffBeforeRetry(2)).contains(Duration.ofMillis(200));
    assertThat(policy.backoffBeforeRetry(3)).contains(Duration.ofMillis(400));
    assertThat(policy.backoffBeforeRetry(4)).contains(Duration.ofMillis(500));
    assertThat(policy.backoffBeforeRetry(5)).contains(Duration.ofMillis(500));
    assertThat(policy.backoffBeforeRetry(6)).isEmpty();
    assertThat(RetryPolicy.none().backoffBeforeRetry(1)).isEmpty();
  }

  @Test
  void manyRetriesNeverOverflow() {
    RetryPolicy policy = new RetryPolicy(Integer.MAX_VALUE, Duration.ofDays(1), Duration.ofDays(3650));
    assertThat(policy.backoffBeforeRetry(1_000_000)).contains(Duration.ofDays(3650));
  }

  @Test
  void invalidSettingsAreNamed() {
    assertThatThrownBy(() -> new RetryPolicy(-1, Duration.ofMillis(-5), Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxRetries: -1 (expected: >= 0)")
        .hasMessageContaining("initialBackoff: PT-0.005S (expected: >= 0)");
    assertThatThrownBy(() -> new RetryPolicy(1, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("maxBackoff: PT1S (expected: >= initialBackoff PT2S)");
  }
}
