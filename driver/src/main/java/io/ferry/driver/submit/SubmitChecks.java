package io.ferry.driver.submit;

import io.ferry.driver.internal.ForeignKeys;
import io.ferry.rpc.PeerText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarFile;

/** What {@code ferry-submit} and {@code ferry-shell} check in their arguments before they start a driver. */
public final class SubmitChecks {
  private SubmitChecks() {}

  /**
   * One warning per {@code --conf} key outside {@code ferry.*}: such a key configures nothing
   * (Ferry reads only {@code ferry.*}) and is dropped, as {@code spark-submit} drops non-Spark
   * keys; the line names the Ferry key it likely meant. Values are not repeated (they may be secrets).
   */
  public static List<String> foreignKeyWarnings(String tool, Map<String, String> conf) {
    List<String> warnings = new ArrayList<>();
    for (String key : conf.keySet()) {
      if (!key.startsWith("ferry.")) {
        warnings.add(tool + ": WARN --conf " + PeerText.escape(key) + " is not a Ferry setting and is ignored"
            + " (Ferry reads only ferry.* keys)"
            + ForeignKeys.ferryKeyFor(key).map(k -> "; did you mean " + k + "?").orElse(""));
      }
    }
    return warnings;
  }

  /**
   * Why {@code jar} cannot be a jar, if it cannot: missing, not a regular file, or not a zip
   * archive (a class is then "not found" in it for the wrong reason).
   */
  public static Optional<String> notAJar(Path jar, String what) {
    if (!Files.isRegularFile(jar)) {
      return Optional.of(what + " " + jar + " does not exist or is not a file");
    }
    try (JarFile ignored = new JarFile(jar.toFile())) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(what + " " + jar + " is not a jar (" + (e.getMessage() == null ? e : e.getMessage())
          + "): give the .jar your build wrote, e.g. target/my-app-1.0.jar");
    } catch (SecurityException e) {
      return Optional.of(what + " " + jar + " is a jar with a bad signature: " + e.getMessage());
    }
  }

  /** A {@code --jars} entry as a local path: a plain path or a {@code file:} URI. */
  public static Path localPath(String entry) {
    String trimmed = entry.trim();
    if (trimmed.startsWith("file:")) {
      try {
        return Path.of(java.net.URI.create(trimmed));
      } catch (IllegalArgumentException e) {
        return Path.of(trimmed);
      }
    }
    return Path.of(trimmed);
  }
}
