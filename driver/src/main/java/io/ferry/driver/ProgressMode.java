package io.ferry.driver;

import java.util.Locale;

/**
 * {@code ferry.ui.progress} ({@code ferry-submit --progress}): how {@code ferry-submit} shows the
 * progress of the application's tasks on stderr. An application's own {@link FerryContext}, outside
 * {@code ferry-submit}, draws nothing whatever this says.
 */
public enum ProgressMode {
  /** In place on a terminal (stderr is a TTY and {@code TERM} is not {@code dumb}); plain lines otherwise. */
  AUTO,
  /** In place, even when stderr does not look like a terminal (e.g. under a wrapper that hides it). */
  ALWAYS,
  /** No progress at all (the web UI line and every warning still print). */
  NEVER;

  /** {@code auto}, {@code always} or {@code never}, any case. */
  public static ProgressMode parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("expected: auto, always or never");
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
