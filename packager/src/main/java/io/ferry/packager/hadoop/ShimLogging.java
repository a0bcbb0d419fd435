package io.ferry.packager.hadoop;

import java.util.Locale;
import java.util.Map;

/**
 * Sets up slf4j-simple for {@code bin/hadoop} before anything logs. The Mesos fetcher parses the
 * shim's stdout ({@code hadoop fs -du}), so every log line goes to stderr, and only warnings by
 * default: the Hadoop client's INFO lines (SASL trust checks, deprecations) would otherwise fill
 * each sandbox's stderr. The level follows Hadoop's conventions: {@code --loglevel LEVEL} before
 * the subcommand, else {@code HADOOP_ROOT_LOGGER=LEVEL,console}. Explicit
 * {@code -Dorg.slf4j.simpleLogger.*} options win over both.
 */
final class ShimLogging {

  static final String PREFIX = "org.slf4j.simpleLogger.";

  private ShimLogging() {}

  static void configure(Map<String, String> env, String[] args) {
    String level = levelFromArgs(args);
    if (level == null) {
      level = slf4jLevel(env.get("HADOOP_ROOT_LOGGER"));
    }
    if (level == null) {
      level = "warn";
    }
    setIfAbsent(PREFIX + "logFile", "System.err");
    setIfAbsent(PREFIX + "defaultLogLevel", level);
    // Without libhadoop.so, every run would warn that it uses Java classes instead: true and useless.
    boolean verbose = level.equals("debug") || level.equals("trace");
    setIfAbsent(PREFIX + "log.org.apache.hadoop.util.NativeCodeLoader", verbose ? level : "error");
  }

  /** The level of {@code --loglevel LEVEL} among the launcher options, or null. */
  static String levelFromArgs(String[] args) {
    for (int i = 0; i + 1 < args.length && args[i].startsWith("--"); i += 2) {
      if (args[i].equals("--loglevel")) {
        return slf4jLevel(args[i + 1]);
      }
    }
    return null;
  }

  /** Maps a log4j level, or a {@code LEVEL,appender} logger spec, to slf4j-simple's names. */
  static String slf4jLevel(String log4j) {
    if (log4j == null || log4j.isBlank()) {
      return null;
    }
    String level = log4j.split(",", 2)[0].trim().toLowerCase(Locale.ROOT);
    switch (level) {
      case "all":
        return "trace";
      case "fatal":
        return "error";
      case "trace":
      case "debug":
      case "info":
      case "warn":
      case "error":
      case "off":
        return level;
      default:
        return null;
    }
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
