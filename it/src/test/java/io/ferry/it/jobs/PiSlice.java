package io.ferry.it.jobs;

import io.ferry.api.Task;
import io.ferry.api.TaskContext;
import java.util.SplittableRandom;

/**
 * One Monte Carlo slice of pi, seeded by its index: the same slice gives the same count wherever
 * and however often it runs, so the test can compute the expected total itself.
 */
public record PiSlice(int index, long darts) implements Task<Long> {

  @Override
  public Long run(TaskContext context) {
    return count(index, darts);
  }

  /** The count this slice must return; the test calls it in its own JVM. */
  public static long count(int index, long darts) {
    SplittableRandom random = new SplittableRandom(0x9E3779B97F4A7C15L * (index + 1));
    long inside = 0;
    for (long i = 0; i < darts; i++) {
      double x = random.nextDouble();
      double y = random.nextDouble();
      if (x * x + y * y <= 1.0) {
        inside++;
      }
    }
    return inside;
  }
}
