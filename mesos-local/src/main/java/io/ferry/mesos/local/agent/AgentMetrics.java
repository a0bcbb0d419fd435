package io.ferry.mesos.local.agent;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.mesos.v1.Protos.TaskState;

/**
 * The agent's counters of {@code /metrics/snapshot}, named as Mesos names them
 * ({@code src/slave/metrics.cpp}); gauges are read from the state when the snapshot is taken
 * ({@link AgentMetricsJson}). Confined to the agent's thread.
 */
public final class AgentMetrics {

  private final Map<String, Long> counters = new LinkedHashMap<>();

  AgentMetrics() {
    for (String name : new String[] {"tasks_finished", "tasks_failed", "tasks_killed", "tasks_lost", "tasks_gone",
        "executors_terminated", "valid_status_updates", "invalid_status_updates", "valid_framework_messages",
        "invalid_framework_messages", "container_launch_errors"}) {
      counters.put(name, 0L);
    }
  }

  private void inc(String name) {
    counters.merge(name, 1L, Long::sum);
  }

  void terminal(TaskState state) {
    switch (state) {
      case TASK_FINISHED -> inc("tasks_finished");
      case TASK_FAILED -> inc("tasks_failed");
      case TASK_KILLED -> inc("tasks_killed");
      case TASK_LOST -> inc("tasks_lost");
      case TASK_GONE -> inc("tasks_gone");
      default -> { }
    }
  }

  void executorTerminated() {
    inc("executors_terminated");
  }

  void validStatusUpdate() {
    inc("valid_status_updates");
  }

  void invalidStatusUpdate() {
    inc("invalid_status_updates");
  }

  void frameworkMessage(boolean valid) {
    inc(valid ? "valid_framework_messages" : "invalid_framework_messages");
  }

  void containerLaunchError() {
    inc("container_launch_errors");
  }

  /** Name (without {@code slave/}) to value. */
  public Map<String, Long> counters() {
    return Map.copyOf(counters);
  }
}
