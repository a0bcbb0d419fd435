package io.ferry.driver.testing;

import io.ferry.api.Task;
import io.ferry.api.TaskContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A task that records where it runs ({@code index-pid.running} in {@code markers}), then waits for
 * the test's go-ahead (a file named {@code release} there, at most 120 s), records that it ran to
 * the end ({@code index-pid.done}) and returns {@code index/pid}.
 */
public record ParkedTask(int index, String markers) implements Task<String> {
  @Override
  public String run(TaskContext context) throws Exception {
    long pid = ProcessHandle.current().pid();
    Path markerDir = Path.of(markers);
    Files.writeString(markerDir.resolve(index + "-" + pid + ".running"), "");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(markerDir.resolve("release")) && System.nanoTime() < deadline && !context.isCancelled()) {
      Thread.sleep(20); // the task's own wait for the test, not the test's synchronisation
    }
    Files.writeString(markerDir.resolve(index + "-" + pid + ".done"), "");
    return index + "/" + pid;
  }

  /** Lets every parked task of {@code markerDir} go on. */
  public static void release(Path markerDir) throws IOException {
    Files.writeString(markerDir.resolve("release"), "");
  }

  /** The markers of {@code kind} ({@code running} or {@code done}): task index to the pids that wrote one. */
  public static Map<Integer, List<Long>> markers(Path markerDir, String kind) {
    try (Stream<Path> files = Files.list(markerDir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("." + kind))
          .map(n -> n.substring(0, n.length() - kind.length() - 1).split("-"))
          .collect(Collectors.groupingBy(parts -> Integer.parseInt(parts[0]),
              Collectors.mapping(parts -> Long.parseLong(parts[1]), Collectors.toList())));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the task markers in " + markerDir, e);
    }
  }
}
