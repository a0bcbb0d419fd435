package io.ferry.driver.backend;

import io.ferry.driver.scheduling.Attempt;
import io.ferry.driver.scheduling.TaskScheduler;
import io.ferry.rpc.proto.TaskResult;

/** Turns an executor's {@link TaskResult} into the scheduler's outcome for that attempt. */
final class Outcomes {
  private Outcomes() {}

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
