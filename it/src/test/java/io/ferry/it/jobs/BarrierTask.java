package io.ferry.it.jobs;

import io.ferry.api.Task;
import io.ferry.api.TaskContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Writes {@code arrived-<index>} into a shared directory, then waits until {@code parties} tasks
 * have arrived and returns how many it saw. If the tasks cannot run at the same time, the first
 * one waits in vain and fails after {@code waitMillis}.
 */
public record BarrierTask(int index, int parties, long waitMillis, String dir) implements Task<Integer> {

  @Override
  public Integer run(TaskContext context) throws IOException, InterruptedException {
    Path d = Path.of(dir);
    // Written whole, then renamed: the other tasks and the test read the directory meanwhile.
    Path temp = d.resolve(".tmp-arrived-" + index);
    Files.writeString(temp, context.executorId());
    Files.move(temp, d.resolve("arrived-" + index), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    long deadline = System.nanoTime() + waitMillis * 1_000_000L;
    while (true) {
      long arrived;
      try (Stream<Path> files = Files.list(d)) {
        arrived = files.filter(p -> p.getFileName().toString().startsWith("arrived-")).count();
      }
      if (arrived >= parties) {
        return (int) arrived;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("task " + index + ": only " + arrived + " of " + parties
            + " tasks were running at once on " + context.executorId());
      }
      Thread.sleep(20);
    }
  }
}
