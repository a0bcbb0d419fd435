package io.ferry.mesos.http.internal;

import io.ferry.mesos.http.MesosAuthorization;
import java.util.Optional;

/** A constant header value that never prints itself. */
public record FixedAuthorization(String scheme, String value) implements MesosAuthorization {

  public static final FixedAuthorization NONE = new FixedAuthorization("none", null);

  @Override
  public Optional<String> header() {
    return Optional.ofNullable(value);
  }

  @Override
  public String toString() {
    return value == null ? "none" : scheme + " [REDACTED]";
  }
}
