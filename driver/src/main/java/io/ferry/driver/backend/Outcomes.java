package io.ferry.driver.backend;

import io.ferry.driver.scheduling.Attempt;
import io.ferry.driver.scheduling.TaskScheduler;
import io.ferry.rpc.proto.TaskResult;
import java.util.ArrayList;
import java.util.List;

/** Turns an executor's {@link TaskResult} into the scheduler's outcome for that attempt. */
final class Outcomes {
  private Outcomes() {}

  /**
   * Results that arrived together, each with the attempt it answers (null: the holder ended
   * meanwhile and its tasks run again, or a task not sent there): successes go to the scheduler
   * as one batch, other outcomes one by one.
   */
  static void applyAll(TaskScheduler scheduler, List<Attempt> attempts, List<TaskResult> results) {
    List<TaskScheduler.Success> successes = new ArrayList<>(results.size());
    for (int i = 0; i < results.size(); i++) {
      Attempt attempt = attempts.get(i);
      if (attempt == null) {
        continue;
      }
      TaskResult result = results.get(i);
      if (result.getOutcome() == TaskResult.Outcome.SUCCESS) {
        successes.add(new TaskScheduler.Success(attempt, result.getValue().toByteArray()));
      } else {
        apply(scheduler, attempt, result);
      }
    }
    if (!successes.isEmpty()) {
      scheduler.succeededAll(successes);
    }
  }

  static void apply(TaskScheduler scheduler, Attempt attempt, TaskResult result) {
    switch (result.getOutcome()) {
      case SUCCESS -> scheduler.succeeded(attempt, result.getValue().toByteArray());
      case KILLED -> scheduler.failed(attempt, "killed on executor " + attempt.executorId()
          + (result.getMessage().isEmpty() ? "" : ": " + result.getMessage()), "");
      default -> scheduler.failed(attempt, result.getMessage().isEmpty() ? "failed with no message" : result.getMessage(),
          result.getStackTrace());
    }
  }
}
