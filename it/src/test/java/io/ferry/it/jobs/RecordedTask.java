package io.ferry.it.jobs;

import io.ferry.api.Task;
import io.ferry.api.TaskContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A task that leaves a side channel in a directory shared with the test: each attempt writes
 * {@code start-<index>-<executor pid>-<n>} when it starts and {@code done-<index>-<executor pid>-<n>}
 * just before it returns (both holding the Ferry executor ID), runs for {@code millis} in between
 * (checking for cancellation), and returns {@link #expected(int)}. The test counts attempts per
 * task and sees which executor process ran each.
 */
public record RecordedTask(int index, long millis, String ledgerDir) implements Task<Long> {

  public static long expected(int index) {
    return index * 31L + 7;
  }

  @Override
  public Long run(TaskContext context) throws IOException, InterruptedException {
    String attempt = index + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID();
    Path ledger = Path.of(ledgerDir);
    record(ledger, "start-" + attempt, context.executorId());
    long deadline = System.nanoTime() + millis * 1_000_000L;
    while (System.nanoTime() < deadline) {
      if (context.isCancelled()) {
        throw new InterruptedException("cancelled");
      }
      Thread.sleep(Math.min(50, Math.max(1, (deadline - System.nanoTime()) / 1_000_000L)));
    }
    record(ledger, "done-" + attempt, context.executorId());
    return expected(index);
  }

  /** Written whole or not at all: the test reads the directory while tasks write to it. */
  private static void record(Path ledger, String name, String content) throws IOException {
    Path temp = ledger.resolve(".tmp-" + name);
    Files.writeString(temp, content);
    Files.move(temp, ledger.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
