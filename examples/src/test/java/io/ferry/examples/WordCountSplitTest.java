package io.ferry.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every split size counts every line exactly once, whatever the line endings and characters. */
class WordCountSplitTest {
  @TempDir Path dir;

  @Test
  void everySplitSizeGivesTheSameCounts() throws Exception {
    String text = "the quick brown fox\njumps over\r\nthe lazy dog\n\nÉté à Paris, l'été\nno newline at the end";
    Path file = Files.writeString(dir.resolve("input.txt"), text, StandardCharsets.UTF_8);
    Map<String, Long> expected = new HashMap<>();
    for (String line : text.split("\n")) {
      WordCount.count(line, expected);
    }
    long size = Files.size(file);
    for (long splitBytes = 1; splitBytes <= size + 1; splitBytes++) {
      Map<String, Long> got = new HashMap<>();
      for (long start = 0; start < size; start += splitBytes) {
        new WordCount.Split(file.toUri().toString(), start, Math.min(splitBytes, size - start))
            .run(null)
            .forEach((w, n) -> got.merge(w, n, Long::sum));
      }
      assertThat(got).as("split size %d", splitBytes).isEqualTo(expected);
    }
    assertThat(expected).containsEntry("the", 3L).containsEntry("été", 1L).containsEntry("l'été", 1L);
  }
}
