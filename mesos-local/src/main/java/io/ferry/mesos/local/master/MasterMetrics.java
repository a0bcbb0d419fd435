package io.ferry.mesos.local.master;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.mesos.v1.Protos.TaskState;

/**
 * The master's counters of {@code /metrics/snapshot}, named as Mesos names them
 * ({@code src/master/metrics.cpp}) and counted where Mesos counts them. Only what mesos-local
 * really counts is here; gauges are computed from the state when the snapshot is taken
 * ({@link MetricsJson}). Confined to the master's thread.
 */
final class MasterMetrics {

  private final Map<String, Long> counters = new LinkedHashMap<>();

  MasterMetrics() {
    for (String name : new String[] {"messages_register_framework", "messages_reregister_framework",
        "messages_unregister_framework", "messages_launch_tasks", "messages_decline_offers", "messages_revive_offers",
        "messages_suppress_offers", "messages_kill_task", "messages_reconcile_tasks",
        "messages_status_update_acknowledgement", "messages_framework_to_executor", "messages_executor_to_framework",
        "messages_status_update", "messages_exited_executor", "messages_register_slave", "messages_reregister_slave",
        "valid_status_updates", "invalid_status_updates", "valid_status_update_acknowledgements",
        "invalid_status_update_acknowledgements", "valid_framework_to_executor_messages",
        "invalid_framework_to_executor_messages", "valid_executor_to_framework_messages",
        "invalid_executor_to_framework_messages", "slave_registrations", "slave_reregistrations",
        "tasks_finished", "tasks_failed", "tasks_killed", "tasks_lost", "tasks_error", "tasks_dropped", "tasks_gone",
        "tasks_gone_by_operator"}) {
      counters.put(name, 0L);
    }
  }

  void inc(String name) {
    if (counters.computeIfPresent(name, (k, v) -> v + 1) == null) {
      throw new IllegalArgumentException("no master counter named " + name);
    }
  }

  /** Counts a task that became terminal ({@code master/tasks_finished} and the others). */
  void terminal(TaskState state) {
    switch (state) {
      case TASK_FINISHED -> inc("tasks_finished");
      case TASK_FAILED -> inc("tasks_failed");
      case TASK_KILLED -> inc("tasks_killed");
      case TASK_LOST -> inc("tasks_lost");
      case TASK_ERROR -> inc("tasks_error");
      case TASK_DROPPED -> inc("tasks_dropped");
      case TASK_GONE -> inc("tasks_gone");
      case TASK_GONE_BY_OPERATOR -> inc("tasks_gone_by_operator");
      default -> { }
    }
  }

  /** Name (without {@code master/}) to value. */
  Map<String, Long> counters() {
    return Map.copyOf(counters);
  }
}
