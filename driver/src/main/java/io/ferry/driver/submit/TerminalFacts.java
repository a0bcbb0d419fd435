package io.ferry.driver.submit;

import java.util.Map;
import java.util.Optional;

/**
 * What ferry-submit knows about where its output goes. {@code bin/ferry-submit} asks the shell
 * ({@code [ -t 2 ]}, {@code [ -t 1 ]}, {@code stty size}) and passes the answers as the system
 * properties below, since Java 17 cannot tell whether stderr alone is a terminal
 * ({@code System.console()} answers for stdin and stdout together). Without them (the class run
 * directly) {@code System.console()} stands in for both.
 *
 * @param stderrTerminal stderr is a terminal that can redraw a line: a TTY whose {@code TERM} is not {@code dumb}
 * @param stdoutTerminal stdout is a TTY (so the application's output shares the progress line's screen)
 * @param columns the terminal's width
 */
record TerminalFacts(boolean stderrTerminal, boolean stdoutTerminal, int columns) {
  static final String STDERR_TTY = "io.ferry.submit.stderrIsTerminal";
  static final String STDOUT_TTY = "io.ferry.submit.stdoutIsTerminal";
  static final String COLUMNS = "io.ferry.submit.terminalColumns";
  static final int DEFAULT_COLUMNS = 80;

  static TerminalFacts detect(Map<String, String> properties, Map<String, String> env, boolean consolePresent) {
    boolean dumb = "dumb".equals(env.get("TERM"));
    boolean stderrTty = flag(properties.get(STDERR_TTY)).orElse(consolePresent);
    boolean stdoutTty = flag(properties.get(STDOUT_TTY)).orElse(consolePresent);
    int columns = number(properties.get(COLUMNS)).or(() -> number(env.get("COLUMNS"))).orElse(DEFAULT_COLUMNS);
    return new TerminalFacts(stderrTty && !dumb, stdoutTty, columns);
  }

  private static Optional<Boolean> flag(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(Boolean.parseBoolean(value.trim()));
  }

  private static Optional<Integer> number(String value) {
    try {
      int n = value == null ? 0 : Integer.parseInt(value.trim());
      return n > 0 ? Optional.of(n) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
