package io.ferry.driver.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The layers a driver's configuration comes from, merged with the documented precedence (highest
 * first): explicit settings (API, command-line flags), Java system properties {@code ferry.*},
 * {@code ferry-defaults.conf}, environment variables, built-in defaults (applied later, by the
 * reader). Each value remembers where it came from, so an error can say where to fix it.
 */
public final class ConfLayers {

  /** The defaults file's name, in {@code $FERRY_CONF_DIR} or {@code $FERRY_HOME/conf}. */
  public static final String DEFAULTS_FILE = "ferry-defaults.conf";

  /** Environment variables that stand for a property (the lowest layer but the defaults). */
  public static final Map<String, String> ENVIRONMENT_KEYS =
      Map.of("FERRY_MASTER", "ferry.master", "FERRY_EXECUTOR_URI", "ferry.executor.uri");

  /** A value and where it came from, e.g. {@code system property} or {@code /opt/ferry/conf/ferry-defaults.conf:7}. */
  public record Setting(String value, String origin) {}

  private final Map<String, Setting> settings;
  private final Optional<Path> defaultsFile;

  private ConfLayers(Map<String, Setting> settings, Optional<Path> defaultsFile) {
    this.settings = settings;
    this.defaultsFile = defaultsFile;
  }

  /**
   * Merges the layers. Problems with the defaults file (unreadable, a line without a value) are
   * added to {@code errors}; a missing file is fine.
   */
  public static ConfLayers merge(Map<String, String> explicit, Map<String, String> systemProperties,
      Map<String, String> environment, List<String> errors) {
    Map<String, Setting> merged = new LinkedHashMap<>();
    ENVIRONMENT_KEYS.forEach((variable, key) -> {
      String value = environment.get(variable);
      if (value != null && !value.isBlank()) {
        merged.put(key, new Setting(value.strip(), "environment variable " + variable));
      }
    });
    Optional<Path> file = locateDefaults(environment);
    file.ifPresent(path -> readDefaults(path, merged, errors));
    systemProperties.forEach((key, value) -> {
      if (key.startsWith("ferry.")) {
        merged.put(key, new Setting(value.strip(), "system property -D" + key));
      }
    });
    explicit.forEach((key, value) -> {
      if (value == null) {
        errors.add(key + ": null (expected: a value)");
      } else {
        merged.put(key, new Setting(value.strip(), "explicit setting"));
      }
    });
    return new ConfLayers(Map.copyOf(merged), file);
  }

  /** {@code $FERRY_CONF_DIR/ferry-defaults.conf}, else {@code $FERRY_HOME/conf/ferry-defaults.conf}, if either is set. */
  static Optional<Path> locateDefaults(Map<String, String> environment) {
    String confDir = environment.get("FERRY_CONF_DIR");
    if (confDir != null && !confDir.isBlank()) {
      return Optional.of(Path.of(confDir, DEFAULTS_FILE));
    }
    String home = environment.get("FERRY_HOME");
    if (home != null && !home.isBlank()) {
      return Optional.of(Path.of(home, "conf", DEFAULTS_FILE));
    }
    return Optional.empty();
  }

  /** Spark's format: {@code key value} or {@code key=value} per line; {@code #} or {@code !} starts a comment line. */
  private static void readDefaults(Path file, Map<String, Setting> into, List<String> errors) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      errors.add(file + ": cannot be read (" + e.getMessage() + "); check its permissions, or unset FERRY_CONF_DIR");
      return;
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
        continue;
      }
      int split = firstSeparator(line);
      String key = split < 0 ? line : line.substring(0, split).strip();
      String value = split < 0 ? "" : line.substring(split + 1).strip();
      if (value.startsWith("=") && split >= 0 && line.charAt(split) != '=') {
        value = value.substring(1).strip(); // "key = value"
      }
      String origin = file + ":" + (i + 1);
      if (value.isEmpty()) {
        errors.add(key + ": no value at " + origin + " (expected: 'key value' or 'key=value')");
      } else {
        into.put(key, new Setting(value, origin));
      }
    }
  }

  private static int firstSeparator(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '=' || Character.isWhitespace(c)) {
        return i;
      }
    }
    return -1;
  }

  public Map<String, Setting> settings() {
    return settings;
  }

  public Optional<Setting> get(String key) {
    return Optional.ofNullable(settings.get(key));
  }

  /** Where the defaults file was looked for, if anywhere. */
  public Optional<Path> defaultsFile() {
    return defaultsFile;
  }
}
