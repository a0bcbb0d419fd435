package io.ferry.driver.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What executors wrote to their sandboxes' {@code stderr} under an agents' work directory. */
public final class SandboxStderr {
  private SandboxStderr() {}

  /** Every line starting with {@code prefix} in any {@code stderr} file under {@code root}. */
  public static List<String> linesStartingWith(Path root, String prefix) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.getFileName().toString().equals("stderr")).flatMap(p -> {
        try {
          return Files.readAllLines(p).stream();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).filter(l -> l.startsWith(prefix)).toList();
    }
  }
}
