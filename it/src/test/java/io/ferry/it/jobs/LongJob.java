package io.ferry.it.jobs;

import io.ferry.driver.FerryContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An application for {@code bin/ferry-submit}: {@code LongJob <ledgerDir> <tasks> <millis>} runs
 * that many {@link RecordedTask}s of that length and prints their sum. The driver-kill test kills
 * it while they run.
 */
public final class LongJob {
  private LongJob() {}

  public static void main(String[] args) throws Exception {
    String ledger = args[0];
    int tasks = Integer.parseInt(args[1]);
    long millis = Long.parseLong(args[2]);
    try (FerryContext ferry = FerryContext.create(Map.of())) {
      List<CompletableFuture<Long>> futures = new ArrayList<>();
      for (int i = 0; i < tasks; i++) {
        futures.add(ferry.submit("long " + i, new RecordedTask(i, millis, ledger)));
      }
      System.out.println("LongJob: submitted " + tasks + " tasks to " + ferry.master());
      long sum = 0;
      for (CompletableFuture<Long> f : futures) {
        sum += f.get();
      }
      System.out.println("LongJob: sum " + sum);
    }
  }
}
