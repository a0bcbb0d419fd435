package io.ferry.mesos;

import java.util.Optional;

/** Mesos's rules for IDs (framework, agent, executor, task, offer): what its master validates. */
public final class MesosIds {

  public static final int MAX_LENGTH = 255;

  private MesosIds() {}

  /**
   * Why {@code value} is not a valid ID, or empty if it is: 1 to 255 characters, not {@code .}
   * or {@code ..}, no control characters, {@code /} or {@code \}.
   */
  public static Optional<String> problem(String value) {
    if (value == null || value.isEmpty()) {
      return Optional.of("ID must not be empty");
    }
    if (value.length() > MAX_LENGTH) {
      return Optional.of("ID must not be longer than " + MAX_LENGTH + " characters");
    }
    if (value.equals(".") || value.equals("..")) {
      return Optional.of("'" + value + "' is disallowed");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) || c == '/' || c == '\\') {
        return Optional.of("'" + value.replaceAll("\\p{Cntrl}", "?") + "' contains invalid characters");
      }
    }
    return Optional.empty();
  }
}
