package io.ferry.examples;

import io.ferry.api.Task;
import io.ferry.driver.FerryContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Estimates pi by Monte Carlo, like SparkPi: each task throws darts at the unit square and counts
 * those inside the quarter circle.
 *
 * <pre>
 * bin/ferry-submit --master 'local-cluster[2,2,2048]' --executor-uri $PWD/ferry-0.1.0-bin.tgz \
 *   --class io.ferry.examples.Pi examples/ferry-examples-0.1.0.jar [slices] [dartsPerSlice]
 * </pre>
 */
public final class Pi {
  private Pi() {}

  public static void main(String[] args) throws Exception {
    int slices = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    long darts = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000L;
    if (slices < 1 || darts < 1) {
      throw new IllegalArgumentException("usage: Pi [slices >= 1] [dartsPerSlice >= 1]");
    }
    try (FerryContext ferry = FerryContext.create(Map.of())) {
      List<Task<Long>> tasks = new ArrayList<>();
      for (int i = 0; i < slices; i++) {
        tasks.add(new Slice(i, darts));
      }
      long inside = ferry.runAll(tasks).stream().mapToLong(Long::longValue).sum();
      double pi = 4.0 * inside / ((double) slices * darts);
      System.out.printf("Pi is roughly %.6f (%d slices x %d darts, master %s)%n", pi, slices, darts, ferry.master());
    }
  }

  /** One slice: a seeded generator per slice, so a retried slice gives the same count. */
  record Slice(int index, long darts) implements Task<Long> {
    @Override
    public Long run(io.ferry.api.TaskContext context) {
      SplittableRandom random = new SplittableRandom(0x9E3779B97F4A7C15L * (index + 1));
      long inside = 0;
      for (long i = 0; i < darts; i++) {
        if ((i & 0xFFFF) == 0 && context.isCancelled()) {
          throw new IllegalStateException("cancelled");
        }
        double x = random.nextDouble();
        double y = random.nextDouble();
        if (x * x + y * y <= 1.0) {
          inside++;
        }
      }
      return inside;
    }
  }
}
