package io.ferry.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reads what {@link io.ferry.it.jobs.RecordedTask} attempts wrote. */
public final class Ledger {
  private final Path dir;

  public Ledger(Path dir) {
    this.dir = dir;
  }

  /** One attempt: task index, executor pid, Ferry executor ID, whether it finished. */
  public record Attempt(int index, long pid, String executorId, String id, boolean done) {}

  public List<Attempt> attempts() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> all = files.toList();
      return all.stream().filter(p -> p.getFileName().toString().startsWith("start-")).map(p -> {
        String id = p.getFileName().toString().substring("start-".length());
        String[] parts = id.split("-", 3);
        try {
          return new Attempt(Integer.parseInt(parts[0]), Long.parseLong(parts[1]), Files.readString(p), id,
              Files.exists(dir.resolve("done-" + id)));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
  }

  public String dir() {
    return dir.toString();
  }
}
