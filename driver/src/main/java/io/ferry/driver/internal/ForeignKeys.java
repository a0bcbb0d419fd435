package io.ferry.driver.internal;

import java.util.Map;
import java.util.Optional;

/**
 * The {@code ferry.*} key meant by a key from elsewhere, mostly Spark's (users of the seed's
 * deployment bring {@code spark.executor.memory}, {@code spark.mesos.coarse}, {@code spark.cores.max}):
 * the same name under {@code ferry.} when Ferry has it, the few renamed ones from a table, else the
 * closest known key when it is a plausible misspelling.
 */
public final class ForeignKeys {

  /** Spark keys whose Ferry name is not simply {@code ferry.} + the rest. */
  private static final Map<String, String> RENAMED = Map.of(
      "spark.mesos.executor.memoryOverhead", "ferry.executor.memoryOverhead",
      "spark.mesos.secret", "ferry.mesos.secretFile",
      "spark.mesos.secret.file", "ferry.mesos.secretFile",
      "spark.mesos.principal.file", "ferry.mesos.principal",
      "spark.mesos.fetcherCache.enable", "ferry.mesos.fetcherCache",
      "spark.mesos.driver.failoverTimeout", "ferry.mesos.failoverTimeout",
      "spark.mesos.executor.uri", "ferry.executor.uri");

  private ForeignKeys() {}

  /** The Ferry key {@code key} (not a {@code ferry.*} key) likely stands for, if any. */
  public static Optional<String> ferryKeyFor(String key) {
    if (RENAMED.containsKey(key)) {
      return Optional.of(RENAMED.get(key));
    }
    String rest = key.startsWith("spark.") ? key.substring("spark.".length()) : key;
    String candidate = "ferry." + rest;
    if (ConfKeys.DEFAULTS.containsKey(candidate)) {
      return Optional.of(candidate);
    }
    return EditDistance.closest(candidate, ConfKeys.DEFAULTS.keySet());
  }
}
