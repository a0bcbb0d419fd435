package io.ferry.driver.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Reads typed values out of merged {@link ConfLayers}, collecting every problem instead of
 * stopping at the first. A bad value yields the fallback and an error such as
 * {@code ferry.executor.memory: '12x' from system property -Dferry.executor.memory (expected: a size
 * such as 512m or 1g)}.
 */
public final class ConfReader {

  private final ConfLayers layers;
  private final List<String> errors;

  public ConfReader(ConfLayers layers, List<String> errors) {
    this.layers = layers;
    this.errors = errors;
  }

  public Optional<String> string(String key) {
    return layers.get(key).map(ConfLayers.Setting::value).filter(v -> !v.isEmpty());
  }

  public String string(String key, String fallback) {
    return string(key).orElse(fallback);
  }

  public Duration duration(String key, String fallback) {
    return parse(key, fallback, ConfValues::duration);
  }

  /** A duration that must be above zero. */
  public Duration positiveDuration(String key, String fallback) {
    Duration value = duration(key, fallback);
    if (value.isZero()) {
      reject(key, "expected: a duration > 0 such as 30s");
      return ConfValues.duration(fallback);
    }
    return value;
  }

  public long size(String key, String fallback, ConfValues.SizeUnit bareUnit) {
    return parse(key, fallback, text -> ConfValues.size(text, bareUnit));
  }

  public Optional<Long> optionalSize(String key, ConfValues.SizeUnit bareUnit) {
    return string(key).isEmpty() ? Optional.empty() : Optional.of(size(key, "0", bareUnit));
  }

  public boolean bool(String key, boolean fallback) {
    return parse(key, Boolean.toString(fallback), ConfValues::bool);
  }

  public int integer(String key, int fallback, int min, int max) {
    return parse(key, Integer.toString(fallback), text -> ConfValues.integer(text, min, max));
  }

  public OptionalInt optionalInteger(String key, int min, int max) {
    return string(key).isEmpty() ? OptionalInt.empty() : OptionalInt.of(integer(key, min, min, max));
  }

  public double decimal(String key, double fallback, double minExclusive) {
    return parse(key, Double.toString(fallback), text -> ConfValues.decimal(text, minExclusive));
  }

  public List<String> list(String key) {
    return string(key).map(ConfValues::list).orElse(List.of());
  }

  /** Parses the value (or the fallback text when unset) with {@code parser}, reporting a failure. */
  public <T> T parse(String key, String fallback, Function<String, T> parser) {
    Optional<ConfLayers.Setting> setting = layers.get(key);
    if (setting.isPresent()) {
      try {
        return parser.apply(setting.get().value());
      } catch (IllegalArgumentException e) {
        reject(key, e.getMessage());
      }
    }
    return parser.apply(fallback);
  }

  /** Records an error naming the key, its value and where the value came from. */
  public void reject(String key, String why) {
    Optional<ConfLayers.Setting> setting = layers.get(key);
    errors.add(setting.map(s -> key + ": '" + s.value() + "' from " + s.origin() + " (" + why + ")")
        .orElse(key + ": " + why));
  }

  public void error(String message) {
    errors.add(message);
  }

  public List<String> errors() {
    return new ArrayList<>(errors);
  }

  public ConfLayers layers() {
    return layers;
  }
}
