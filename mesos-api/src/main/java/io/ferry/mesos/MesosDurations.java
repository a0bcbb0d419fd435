package io.ferry.mesos;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Mesos writes them in executor environments and flags: a decimal number and a unit
 * among {@code ns us ms secs mins hrs days weeks}, e.g. {@code 5secs}, {@code 1.5mins},
 * {@code 15mins}. Formatting picks the largest unit not above the value, as stout does.
 */
public final class MesosDurations {

  private static final Pattern FORM = Pattern.compile("^\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(ns|us|ms|secs|mins|hrs|days|weeks)\\s*$");

  private static final String[] UNITS = {"ns", "us", "ms", "secs", "mins", "hrs", "days", "weeks"};
  private static final long[] NANOS = {1L, 1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L,
      3_600_000_000_000L, 86_400_000_000_000L, 604_800_000_000_000L};

  private MesosDurations() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the text and the expected form
   */
  public static Duration parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a Mesos duration (expected: a number and one of "
          + "ns, us, ms, secs, mins, hrs, days, weeks, e.g. 5secs)");
    }
    long unit = NANOS[indexOf(m.group(2))];
    BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
    return Duration.ofNanos(nanos.longValue());
  }

  public static String format(Duration duration) {
    long nanos = duration.toNanos();
    int unit = 0;
    for (int i = NANOS.length - 1; i >= 0; i--) {
      if (nanos >= NANOS[i]) {
        unit = i;
        break;
      }
    }
    BigDecimal value = BigDecimal.valueOf(nanos).divide(BigDecimal.valueOf(NANOS[unit]));
    return value.stripTrailingZeros().toPlainString() + UNITS[unit];
  }

  private static int indexOf(String unit) {
    for (int i = 0; i < UNITS.length; i++) {
      if (UNITS[i].equals(unit)) {
        return i;
      }
    }
    throw new IllegalArgumentException(unit);
  }
}
