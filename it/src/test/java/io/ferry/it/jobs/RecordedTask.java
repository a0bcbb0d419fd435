package io.ferry.it.jobs;

import io.ferry.api.Task;
import io.ferry.api.TaskContext;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A task that leaves a side channel: each attempt writes a file named
 * {@code <index>.<executor pid>.<random>} into a shared directory when it starts, runs for
 * {@code millis} (checking for cancellation), and returns {@code index * 31 + 7}. The test counts
 * attempts per task and sees which executor process ran each.
 */
public record RecordedTask(int index, long millis, String ledgerDir) implements Task<Long> {

  public static long expected(int index) {
    return index * 31L + 7;
  }

  @Override
  public Long run(TaskContext context) throws IOException, InterruptedException {
    long pid = ProcessHandle.current().pid();
    Files.writeString(Path.of(ledgerDir).resolve(index + "." + pid + "." + UUID.randomUUID()),
        context.executorId() + " " + ManagementFactory.getRuntimeMXBean().getName());
    long deadline = System.nanoTime() + millis * 1_000_000L;
    while (System.nanoTime() < deadline) {
      if (context.isCancelled()) {
        throw new InterruptedException("cancelled");
      }
      Thread.sleep(Math.min(50, Math.max(1, (deadline - System.nanoTime()) / 1_000_000L)));
    }
    return expected(index);
  }
}
