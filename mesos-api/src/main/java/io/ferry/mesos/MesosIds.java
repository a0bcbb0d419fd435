package io.ferry.mesos;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Mesos's rules for IDs (framework, agent, executor, task, offer): what its master validates. */
public final class MesosIds {

  public static final int MAX_LENGTH = 255;

  private MesosIds() {}

  /**
   * Why {@code value} is not a valid ID, or empty if it is: 1 to 255 bytes (UTF-8), not {@code .}
   * or {@code ..}, no control characters, {@code /} or {@code \}.
   */
  public static Optional<String> problem(String value) {
    if (value == null || value.isEmpty()) {
      return Optional.of("empty (expected: 1 to " + MAX_LENGTH + " bytes)");
    }
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_LENGTH) {
      return Optional.of(bytes + " bytes long (expected: at most " + MAX_LENGTH + ")");
    }
    if (value.equals(".") || value.equals("..")) {
      return Optional.of("'" + value + "' is not allowed");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) || c == '/' || c == '\\') {
        return Optional.of("'" + value.replaceAll("\\p{Cntrl}", "?") + "' has a control character, '/' or '\\' at index " + i);
      }
    }
    return Optional.empty();
  }
}
