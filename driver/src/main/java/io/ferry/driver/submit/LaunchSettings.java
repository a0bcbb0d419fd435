package io.ferry.driver.submit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a launcher's flags become a driver's explicit settings, the same for {@code ferry-submit} and
 * {@code ferry-shell}: the {@code --conf} pairs ({@code ferry.*} only: the others are warned about by
 * {@link SubmitChecks#foreignKeyWarnings} and dropped), then the flags that name a key
 * ({@code --master}, {@code --executor-uri}, ...) over them, and {@code ferry.jars} as the jars
 * configured already (a {@code --conf}, else the system property) followed by the launcher's own
 * ({@code --jars}, the application jar). The result sits above system properties,
 * {@code conf/ferry-defaults.conf} and the environment ({@code FERRY_EXECUTOR_URI}) in
 * {@link io.ferry.driver.FerryConf}'s layers.
 */
public final class LaunchSettings {
  private LaunchSettings() {}

  /**
   * @param conf the {@code --conf} pairs as given
   * @param flags key to value for each flag; a {@code null} value (a flag not given) is skipped
   * @param jars the launcher's jars, appended to the configured {@code ferry.jars}
   */
  public static Map<String, String> of(Map<String, String> conf, Map<String, String> flags, List<String> jars) {
    Map<String, String> settings = new LinkedHashMap<>(conf);
    settings.keySet().removeIf(key -> !key.startsWith("ferry."));
    flags.forEach((key, value) -> {
      if (value != null) {
        settings.put(key, value);
      }
    });
    List<String> allJars = new ArrayList<>();
    String configured = settings.getOrDefault("ferry.jars", System.getProperty("ferry.jars", ""));
    for (String j : configured.split(",")) {
      if (!j.isBlank()) {
        allJars.add(j.trim());
      }
    }
    allJars.addAll(jars);
    if (!allJars.isEmpty()) {
      settings.put("ferry.jars", String.join(",", allJars));
    }
    return settings;
  }
}
