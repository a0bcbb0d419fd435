package io.ferry.driver.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text to typed values, Spark's way: durations like {@code 30s}, {@code 5min}, {@code 1h}; sizes like
 * {@code 512m}, {@code 1g}. Each parser throws an {@link IllegalArgumentException} whose message is
 * only the expectation ({@code expected: a duration such as 30s or 5min}); the caller adds the key
 * and the value.
 */
public final class ConfValues {

  private static final Pattern NUMBER_UNIT = Pattern.compile("^(\\d+(?:\\.\\d+)?)\\s*([a-z]*)$");

  /** The unit a bare size number is read in. */
  public enum SizeUnit {
    BYTES(1L), MIB(1L << 20);

    final long bytes;

    SizeUnit(long bytes) {
      this.bytes = bytes;
    }
  }

  private ConfValues() {}

  /** {@code 100ms}, {@code 30s}, {@code 5min}, {@code 2h}, {@code 1d}; a bare number is seconds. */
  public static Duration duration(String text) {
    Matcher m = NUMBER_UNIT.matcher(text.strip().toLowerCase(Locale.ROOT));
    String expected = "expected: a duration such as 500ms, 30s, 5min, 1h or 2d";
    if (!m.matches()) {
      throw new IllegalArgumentException(expected);
    }
    double amount = Double.parseDouble(m.group(1));
    long nanosPerUnit = switch (m.group(2)) {
      case "us" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "", "s", "sec", "secs", "second", "seconds" -> 1_000_000_000L;
      case "m", "min", "mins", "minute", "minutes" -> 60_000_000_000L;
      case "h", "hr", "hrs", "hour", "hours" -> 3_600_000_000_000L;
      case "d", "day", "days" -> 86_400_000_000_000L;
      default -> throw new IllegalArgumentException(expected + "; unknown unit '" + m.group(2) + "'");
    };
    double nanos = amount * nanosPerUnit;
    if (nanos > Long.MAX_VALUE) {
      throw new IllegalArgumentException(expected + "; too long");
    }
    return Duration.ofNanos(Math.round(nanos));
  }

  /** {@code 1024}, {@code 64k}, {@code 512m}, {@code 1g}, {@code 1t} (also {@code kb}, {@code mb}...), in bytes. */
  public static long size(String text, SizeUnit bareUnit) {
    Matcher m = NUMBER_UNIT.matcher(text.strip().toLowerCase(Locale.ROOT));
    String expected = "expected: a size such as 512m or 1g" + (bareUnit == SizeUnit.MIB ? " (a bare number is MiB)" : "");
    if (!m.matches()) {
      throw new IllegalArgumentException(expected);
    }
    double amount = Double.parseDouble(m.group(1));
    long multiplier = switch (m.group(2)) {
      case "" -> bareUnit.bytes;
      case "b" -> 1L;
      case "k", "kb", "kib" -> 1L << 10;
      case "m", "mb", "mib" -> 1L << 20;
      case "g", "gb", "gib" -> 1L << 30;
      case "t", "tb", "tib" -> 1L << 40;
      default -> throw new IllegalArgumentException(expected + "; unknown unit '" + m.group(2) + "'");
    };
    double bytes = amount * multiplier;
    if (bytes > Long.MAX_VALUE) {
      throw new IllegalArgumentException(expected + "; too large");
    }
    return Math.round(bytes);
  }

  /** {@code true} or {@code false}, any case. */
  public static boolean bool(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("expected: true or false");
    };
  }

  public static int integer(String text, int min, int max) {
    String expected = "expected: an integer " + range(min, max);
    int value;
    try {
      value = Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(expected);
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(expected);
    }
    return value;
  }

  public static double decimal(String text, double minExclusive) {
    String expected = "expected: a number > " + (minExclusive == Math.rint(minExclusive)
        ? Long.toString((long) minExclusive) : Double.toString(minExclusive));
    double value;
    try {
      value = Double.parseDouble(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(expected);
    }
    if (!(value > minExclusive) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(expected);
    }
    return value;
  }

  /** A comma-separated list; blanks around items and empty items are dropped. */
  public static List<String> list(String text) {
    List<String> items = new ArrayList<>();
    for (String item : text.split(",")) {
      if (!item.isBlank()) {
        items.add(item.strip());
      }
    }
    return List.copyOf(items);
  }

  private static String range(int min, int max) {
    if (max == Integer.MAX_VALUE) {
      return ">= " + min;
    }
    return "from " + min + " to " + max;
  }
}
