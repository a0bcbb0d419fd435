package io.ferry.executor.internal.log;

/**
 * Writes an instant as {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'} (ISO-8601, UTC) with arithmetic only.
 *
 * <p>Why not {@link java.text.SimpleDateFormat}: its first use in a JVM loads the time zone database,
 * the CLDR locale provider and calendar, date and number format data: 55-130 ms on the 2-core build
 * machine, on the executor's path to SUBSCRIBE (SLF4J simple makes one when its first logger is
 * created). The executor's log has always been Ferry's pattern {@code yyyy-MM-dd'T'HH:mm:ss.SSSXXX};
 * this prints the same instant in UTC (with the default time zone UTC, as on the agents we know, the
 * very same text).
 */
final class UtcTimestamp {
  private UtcTimestamp() {}

  static void append(StringBuilder out, long epochMillis) {
    long days = Math.floorDiv(epochMillis, 86_400_000L);
    int millisOfDay = (int) Math.floorMod(epochMillis, 86_400_000L);
    // Days since 1970-01-01 to a civil date (proleptic Gregorian), after Howard Hinnant's days_from_civil inverse.
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long dayOfEra = z - era * 146_097;
    long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long mp = (5 * dayOfYear + 2) / 153;
    int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    pad(out, year, 4).append('-');
    pad(out, month, 2).append('-');
    pad(out, day, 2).append('T');
    pad(out, millisOfDay / 3_600_000, 2).append(':');
    pad(out, millisOfDay / 60_000 % 60, 2).append(':');
    pad(out, millisOfDay / 1000 % 60, 2).append('.');
    pad(out, millisOfDay % 1000, 3).append('Z');
  }

  private static StringBuilder pad(StringBuilder out, long value, int width) {
    String digits = Long.toString(value);
    for (int i = digits.length(); i < width; i++) {
      out.append('0');
    }
    return out.append(digits);
  }
}
