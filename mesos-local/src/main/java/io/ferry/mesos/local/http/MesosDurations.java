package io.ferry.mesos.local.http;

import java.math.BigDecimal;
import java.time.Duration;

/** Durations as Mesos's flags print them (stout's {@code Duration} output): {@code 1mins}, {@code 5secs}, {@code 200ms}. */
public final class MesosDurations {

  private static final long[] UNITS = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L,
      1_000_000L, 1_000L, 1L};
  private static final String[] NAMES = {"days", "hrs", "mins", "secs", "ms", "us", "ns"};

  private MesosDurations() {}

  public static String format(Duration d) {
    long nanos = d.toNanos();
    for (int i = 0; i < UNITS.length; i++) {
      if (Math.abs(nanos) >= UNITS[i] || i == UNITS.length - 1) {
        BigDecimal value = BigDecimal.valueOf(nanos).divide(BigDecimal.valueOf(UNITS[i])).stripTrailingZeros();
        return value.toPlainString() + NAMES[i];
      }
    }
    throw new AssertionError();
  }
}
