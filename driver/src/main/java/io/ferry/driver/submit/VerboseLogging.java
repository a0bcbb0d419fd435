package io.ferry.driver.submit;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The log levels of {@code ferry-submit}'s console (and {@code ferry-shell}'s), for SLF4J's simple backend, set as system
 * properties before the first logger exists (the backend reads its levels once; system properties
 * win over {@code conf/simplelogger.properties}).
 *
 * <ul>
 *   <li>By default Ferry's own loggers ({@code io.ferry}: the driver, rpc, the in-process
 *       mesos-local of {@code local-cluster}) print WARN and above: what goes wrong, not each step
 *       (the progress line says how far the job is). Unless the user set {@code io.ferry}'s level
 *       themselves, in {@code conf/simplelogger.properties} or with {@code -Dorg.slf4j.simpleLogger.log.io.ferry}
 *       (in {@code FERRY_JAVA_OPTS}): their setting wins. The distribution's file leaves that key
 *       unset for this reason; the other launchers pass INFO as their own default.
 *   <li>{@code --verbose}: Ferry's DEBUG (each retry, each launch) and every other library's INFO,
 *       ZooKeeper's and Curator's included (off in the file: a stack trace per refused connection).
 *       Only an {@code -Dorg.slf4j.simpleLogger.*} the user gave is kept.
 * </ul>
 */
public final class VerboseLogging {
  private static final String PREFIX = "org.slf4j.simpleLogger.";
  /** Ferry's own loggers. */
  static final String FERRY = PREFIX + "log.io.ferry";
  /** Ferry's level on the console when nobody said otherwise. */
  static final String CONSOLE_LEVEL = "warn";
  /** The backend's configuration file, on the classpath ({@code conf/} comes first in the launchers'). */
  static final String FILE = "simplelogger.properties";

  /** Ferry's DEBUG (each retry, each launch), every other library's INFO, ZooKeeper's and Curator's included. */
  static final Map<String, String> LEVELS = Map.of(
      PREFIX + "defaultLogLevel", "info",
      FERRY, "debug",
      PREFIX + "log.org.apache.zookeeper", "info",
      PREFIX + "log.org.apache.curator", "info");

  private VerboseLogging() {}

  /** Must run before the first SLF4J logger is made. */
  public static void configure(boolean verbose) {
    configure(verbose, System.getProperties(), fileSettings());
  }

  /**
   * As {@link #configure(boolean)}, and also turns off the given loggers of Ferry's unless
   * {@code --verbose} or the user set their level or Ferry's: for a console that already shows what
   * they would say (ferry-shell prints a failed job's exception, so not also the scheduler's line).
   */
  public static void configure(boolean verbose, List<String> repeatsOnThisConsole) {
    configure(verbose, repeatsOnThisConsole, System.getProperties(), fileSettings());
  }

  static void configure(boolean verbose, List<String> repeatsOnThisConsole, Properties system, Properties file) {
    boolean ferrysLevelIsTheUsers = system.getProperty(FERRY) != null || file.getProperty(FERRY) != null;
    configure(verbose, system, file);
    if (verbose || ferrysLevelIsTheUsers) {
      return;
    }
    for (String logger : repeatsOnThisConsole) {
      String key = PREFIX + "log." + logger;
      if (system.getProperty(key) == null && file.getProperty(key) == null) {
        system.setProperty(key, "off");
      }
    }
  }

  static void configure(boolean verbose, Properties system, Properties file) {
    if (verbose) {
      LEVELS.forEach((key, level) -> {
        if (system.getProperty(key) == null) {
          system.setProperty(key, level);
        }
      });
    } else if (system.getProperty(FERRY) == null && file.getProperty(FERRY) == null) {
      system.setProperty(FERRY, CONSOLE_LEVEL);
    }
  }

  /** What {@code simplelogger.properties} on the classpath says, as the backend will read it. */
  static Properties fileSettings() {
    Properties p = new Properties();
    try (InputStream in = ClassLoader.getSystemResourceAsStream(FILE)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException | IllegalArgumentException e) {
      // The backend reads the same file and says nothing either; the default stands.
    }
    return p;
  }
}
