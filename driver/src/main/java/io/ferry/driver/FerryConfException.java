package io.ferry.driver;

import java.util.List;

/**
 * The driver's configuration is invalid. {@link #problems()} lists every problem, each naming the
 * key, the bad value, where it came from and what was expected; the message has them all, one per
 * line.
 */
public final class FerryConfException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public FerryConfException(List<String> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }

  private static String message(List<String> problems) {
    if (problems.size() == 1) {
      return "invalid Ferry configuration: " + problems.get(0);
    }
    return "invalid Ferry configuration (" + problems.size() + " problems):\n  - " + String.join("\n  - ", problems);
  }
}
