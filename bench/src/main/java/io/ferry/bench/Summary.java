package io.ferry.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One line per headline figure, appended to the file named by {@code -Dbench.summary} (when
 * set): {@code scripts/bench.sh all} prints them together as one table of ratios after every suite
 * has printed its own detailed table.
 */
final class Summary {
  static final String HEADER = "| suite | measurement | Ferry | baseline | ratio | target |\n| --- | --- | --- | --- | --- | --- |";

  private Summary() {}

  static void add(String suite, String measurement, String ferry, String baseline, String ratio, String target) {
    String file = System.getProperty("bench.summary");
    if (file == null || file.isEmpty()) {
      return;
    }
    String line = String.join(" | ", "| " + suite, measurement, ferry, baseline, ratio, target) + " |\n";
    try {
      Files.writeString(Path.of(file), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      System.err.println("cannot append to the summary " + file + ": " + e);
    }
  }
}
