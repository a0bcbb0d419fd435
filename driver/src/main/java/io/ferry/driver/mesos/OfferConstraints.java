package io.ferry.driver.mesos;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.Value;

/**
 * Requirements on agent attributes, {@code ferry.mesos.constraints}, in Spark's syntax:
 * {@code os:centos7;zone:us-east-1a,us-east-1b;gpu} means the attribute {@code os} is
 * {@code centos7}, {@code zone} is one of the two, and {@code gpu} is present with any value.
 * An offer matches when every requirement holds (Spark's rules: a text equals one of the values; a
 * scalar is at least one of them; a range or ranges contain one of them; a set contains them all).
 *
 * <pre>{@code
 * OfferConstraints constraints = OfferConstraints.parse("zone:us-east-1a,us-east-1b");
 * if (constraints.matches(offer.getAttributesList())) { ... }
 * }</pre>
 */
public final class OfferConstraints {

  private static final OfferConstraints NONE = new OfferConstraints(Map.of());

  private final Map<String, Set<String>> required;

  private OfferConstraints(Map<String, Set<String>> required) {
    this.required = required;
  }

  /** No requirement: every offer matches. */
  public static OfferConstraints none() {
    return NONE;
  }

  /**
   * @throws IllegalArgumentException naming the bad part, e.g.
   *     {@code expected: attr:value[,value...] separated by ';', got ':x'}
   */
  public static OfferConstraints parse(String text) {
    if (text == null || text.isBlank()) {
      return NONE;
    }
    Map<String, Set<String>> required = new LinkedHashMap<>();
    for (String part : text.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      int colon = part.indexOf(':');
      String name = (colon < 0 ? part : part.substring(0, colon)).strip();
      if (name.isEmpty() || colon >= 0 && part.indexOf(':', colon + 1) >= 0) {
        throw new IllegalArgumentException("expected: attr:value[,value...] separated by ';', got '" + part.strip() + "'");
      }
      Set<String> values = new LinkedHashSet<>();
      if (colon >= 0) {
        for (String value : part.substring(colon + 1).split(",")) {
          if (!value.isBlank()) {
            values.add(value.strip());
          }
        }
      }
      if (required.put(name, Collections.unmodifiableSet(values)) != null) {
        throw new IllegalArgumentException("expected: each attribute once, got '" + name + "' twice");
      }
    }
    return new OfferConstraints(Collections.unmodifiableMap(required));
  }

  /** Attribute name to accepted values (empty: any value, the attribute must only be present). */
  public Map<String, Set<String>> required() {
    return required;
  }

  public boolean isEmpty() {
    return required.isEmpty();
  }

  /** Whether an offer with these attributes meets every requirement. */
  public boolean matches(List<Attribute> attributes) {
    for (Map.Entry<String, Set<String>> requirement : required.entrySet()) {
      Attribute attribute = attributes.stream().filter(a -> a.getName().equals(requirement.getKey())).findFirst()
          .orElse(null);
      if (attribute == null || !satisfies(attribute, requirement.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static boolean satisfies(Attribute attribute, Set<String> values) {
    if (values.isEmpty()) {
      return true;
    }
    try {
      return switch (attribute.getType()) {
        case TEXT -> values.contains(attribute.getText().getValue());
        case SCALAR -> values.stream().anyMatch(v -> Double.parseDouble(v) <= attribute.getScalar().getValue());
        case RANGES -> values.stream().anyMatch(v -> inRanges(Long.parseLong(v), attribute.getRanges()));
        case SET -> attribute.getSet().getItemList().containsAll(values);
        default -> false;
      };
    } catch (NumberFormatException e) {
      return false; // a non-numeric requirement never matches a numeric attribute
    }
  }

  private static boolean inRanges(long value, Value.Ranges ranges) {
    return ranges.getRangeList().stream().anyMatch(r -> value >= r.getBegin() && value <= r.getEnd());
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    required.forEach((name, values) -> {
      if (!text.isEmpty()) {
        text.append(';');
      }
      text.append(name);
      if (!values.isEmpty()) {
        text.append(':').append(String.join(",", values));
      }
    });
    return text.toString();
  }
}
