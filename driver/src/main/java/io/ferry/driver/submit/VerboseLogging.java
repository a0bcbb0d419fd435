package io.ferry.driver.submit;

import java.util.Map;

/**
 * What {@code ferry-submit --verbose} turns on, for SLF4J's simple backend (the distribution's
 * {@code conf/simplelogger.properties} keeps third-party libraries at WARN and ZooKeeper and Curator
 * off, so a refused connection is one line of Ferry's, not hundreds of stack-trace lines). System
 * properties win over that file, so setting them before the first logger exists is enough; an
 * {@code -Dorg.slf4j.simpleLogger.*} the user gave (in {@code FERRY_JAVA_OPTS}) is kept.
 */
final class VerboseLogging {
  private static final String PREFIX = "org.slf4j.simpleLogger.";

  /** Ferry's DEBUG (each retry, each launch), every other library's INFO, ZooKeeper's and Curator's included. */
  static final Map<String, String> LEVELS = Map.of(
      PREFIX + "defaultLogLevel", "info",
      PREFIX + "log.io.ferry", "debug",
      PREFIX + "log.org.apache.zookeeper", "info",
      PREFIX + "log.org.apache.curator", "info");

  private VerboseLogging() {}

  /** Must run before the first SLF4J logger is made (the simple backend reads its levels once). */
  static void enable() {
    LEVELS.forEach((key, level) -> {
      if (System.getProperty(key) == null) {
        System.setProperty(key, level);
      }
    });
  }
}
