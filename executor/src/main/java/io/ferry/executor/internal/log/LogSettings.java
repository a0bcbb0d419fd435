package io.ferry.executor.internal.log;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Properties;

/**
 * The executor's logging settings: SLF4J simple's {@code org.slf4j.simpleLogger.*} keys, read once
 * from system properties (where {@code DirectoryLogConfig} has copied {@code conf/simplelogger.properties};
 * a {@code -D} wins), so a distribution's one logging configuration still governs the executor.
 *
 * @param defaultLevel the level of a logger that no {@code log.<name>} key names
 * @param timestamps how each line starts
 * @param dateTimeFormat the {@code dateTimeFormat} pattern, used only with {@link Timestamps#PATTERN}
 */
record LogSettings(Properties levels, int defaultLevel, Timestamps timestamps, String dateTimeFormat,
    boolean showThreadName, boolean showLogName, boolean showShortLogName, boolean levelInBrackets,
    String warnLevelString, PrintStream out) {

  static final String PREFIX = "org.slf4j.simpleLogger.";
  /**
   * The pattern Ferry's {@code conf/simplelogger.properties} sets: written without
   * {@link java.text.SimpleDateFormat}, in UTC (see {@link UtcTimestamp}).
   */
  static final String ISO_PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

  /** Trace to error as SLF4J simple numbers them; off above all. */
  static final int TRACE = 0;
  static final int DEBUG = 10;
  static final int INFO = 20;
  static final int WARN = 30;
  static final int ERROR = 40;
  static final int OFF = 50;

  /** How a line starts. */
  enum Timestamps {
    /** No time ({@code showDateTime=false}, SLF4J simple's default). */
    NONE,
    /** Milliseconds since logging started ({@code showDateTime=true} without a pattern). */
    ELAPSED,
    /** Ferry's ISO-8601 pattern, in UTC, formatted by hand. */
    ISO_UTC,
    /** Any other pattern, through {@link java.text.SimpleDateFormat}. */
    PATTERN
  }

  static LogSettings from(Properties system) {
    Properties levels = new Properties();
    for (String key : system.stringPropertyNames()) {
      if (key.startsWith(PREFIX + "log.")) {
        levels.setProperty(key.substring(PREFIX.length() + 4), system.getProperty(key));
      }
    }
    boolean showDateTime = flag(system, "showDateTime", false);
    String format = system.getProperty(PREFIX + "dateTimeFormat");
    Timestamps timestamps = !showDateTime ? Timestamps.NONE
        : format == null ? Timestamps.ELAPSED
        : format.equals(ISO_PATTERN) ? Timestamps.ISO_UTC
        : Timestamps.PATTERN;
    return new LogSettings(levels, level(system.getProperty(PREFIX + "defaultLogLevel"), INFO), timestamps, format,
        flag(system, "showThreadName", true), flag(system, "showLogName", true),
        flag(system, "showShortLogName", false), flag(system, "levelInBrackets", false),
        system.getProperty(PREFIX + "warnLevelString", "WARN"), output(system.getProperty(PREFIX + "logFile")));
  }

  /** The level of logger {@code name}: its own key, else its nearest parent's ({@code a.b} for {@code a.b.C}), else the default. */
  int levelOf(String name) {
    String n = name;
    while (true) {
      String value = levels.getProperty(n);
      if (value != null) {
        return level(value, defaultLevel);
      }
      int dot = n.lastIndexOf('.');
      if (dot < 0) {
        return defaultLevel;
      }
      n = n.substring(0, dot);
    }
  }

  private static int level(String value, int otherwise) {
    if (value == null) {
      return otherwise;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "trace" -> TRACE;
      case "debug" -> DEBUG;
      case "info" -> INFO;
      case "warn" -> WARN;
      case "error" -> ERROR;
      case "off" -> OFF;
      default -> otherwise;
    };
  }

  private static boolean flag(Properties system, String key, boolean otherwise) {
    String value = system.getProperty(PREFIX + key);
    return value == null ? otherwise : value.trim().equalsIgnoreCase("true");
  }

  /** {@code logFile}: System.err (the default), System.out, or a file appended to (stderr if it cannot be opened, as SLF4J simple does). */
  private static PrintStream output(String logFile) {
    if (logFile == null || logFile.equalsIgnoreCase("System.err")) {
      return System.err;
    }
    if (logFile.equalsIgnoreCase("System.out")) {
      return System.out;
    }
    try {
      return new PrintStream(new FileOutputStream(logFile, true), false);
    } catch (IOException e) {
      System.err.println("Could not open [" + logFile + "] for the executor's log (" + e.getMessage()
          + "); logging to stderr instead");
      return System.err;
    }
  }
}
