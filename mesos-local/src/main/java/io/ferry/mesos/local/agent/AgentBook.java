package io.ferry.mesos.local.agent;

import io.ferry.mesos.local.http.MesosJson;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * What an agent's {@code /slave(1)/state} and {@code /metrics/snapshot} show, kept as Mesos's
 * agent keeps it ({@code Framework}, {@code Executor} in {@code src/slave/slave.hpp}): per
 * framework its executors, each with queued tasks (not yet delivered), launched tasks with every
 * status, and completed tasks (terminal; at most {@value #MAX_COMPLETED_TASKS_PER_EXECUTOR});
 * completed executors (at most {@value #MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK}) and completed
 * frameworks (at most {@value #MAX_COMPLETED_FRAMEWORKS}), Mesos's defaults. Statuses are kept
 * without {@code data}. {@link AgentCore} feeds it; confined to the agent's thread.
 */
public final class AgentBook {

  static final int MAX_COMPLETED_TASKS_PER_EXECUTOR = 200;
  static final int MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK = 150;
  static final int MAX_COMPLETED_FRAMEWORKS = 50;

  /** A launched task: its info and every status the agent accepted for it. */
  public static final class Task {
    public final String frameworkId;
    public final TaskInfo info;
    public final List<TaskStatus> statuses = new ArrayList<>();
    public TaskState state = TaskState.TASK_STAGING;

    Task(String frameworkId, TaskInfo info) {
      this.frameworkId = frameworkId;
      this.info = info;
    }
  }

  /** One executor (one container run) of a framework. */
  public static final class Executor {
    public final ExecutorInfo info;
    public final String containerId;
    public final Map<String, TaskInfo> queued = new LinkedHashMap<>();
    public final Map<String, Task> launched = new LinkedHashMap<>();
    public final Deque<Task> completed = new ArrayDeque<>();

    Executor(ExecutorInfo info, String containerId) {
      this.info = info;
      this.containerId = containerId;
    }
  }

  /** A framework as this agent knows it. */
  public static final class Framework {
    public FrameworkInfo info;
    public final Map<String, Executor> executors = new LinkedHashMap<>();
    public final Deque<Executor> completedExecutors = new ArrayDeque<>();

    Framework(FrameworkInfo info) {
      this.info = info;
    }
  }

  private final Map<String, Framework> frameworks = new LinkedHashMap<>();
  private final Deque<Framework> completedFrameworks = new ArrayDeque<>();
  private final AgentMetrics metrics = new AgentMetrics();

  public Collection<Framework> frameworks() {
    return frameworks.values();
  }

  public Collection<Framework> completedFrameworks() {
    return completedFrameworks;
  }

  public AgentMetrics metrics() {
    return metrics;
  }

  void executorAdded(FrameworkInfo framework, ExecutorInfo executor, String containerId) {
    Framework f = frameworks.computeIfAbsent(framework.getId().getValue(), k -> new Framework(framework));
    f.info = framework;
    f.executors.put(executor.getExecutorId().getValue(), new Executor(executor, containerId));
  }

  void queued(String frameworkId, String executorId, TaskInfo task) {
    Executor e = executor(frameworkId, executorId);
    if (e != null) {
      e.queued.put(task.getTaskId().getValue(), task);
    }
  }

  /** Delivered to the executor: Mesos's {@code addLaunchedTask} (TASK_STAGING until an update says otherwise). */
  void launched(String frameworkId, String executorId, TaskInfo task) {
    Executor e = executor(frameworkId, executorId);
    if (e != null) {
      e.queued.remove(task.getTaskId().getValue());
      e.launched.putIfAbsent(task.getTaskId().getValue(), new Task(frameworkId, task));
    }
  }

  /** An update the agent accepted: the task's state and statuses; a terminal task becomes completed. */
  void update(String frameworkId, String executorId, TaskStatus status) {
    Executor e = executor(frameworkId, executorId);
    if (e == null) {
      return;
    }
    String id = status.getTaskId().getValue();
    Task task = e.launched.get(id);
    if (task == null) {
      TaskInfo queued = e.queued.remove(id);
      if (queued == null) {
        return;
      }
      task = new Task(frameworkId, queued);
      e.launched.put(id, task);
    }
    task.state = status.getState();
    task.statuses.add(MesosJson.kept(status));
    if (StatusUpdateManager.isTerminal(status.getState())) {
      metrics.terminal(status.getState());
      e.launched.remove(id);
      e.completed.addLast(task);
      while (e.completed.size() > MAX_COMPLETED_TASKS_PER_EXECUTOR) {
        e.completed.removeFirst();
      }
    }
  }

  /** The executor is gone: it moves to its framework's completed executors; a framework left without any completes. */
  void executorTerminated(String frameworkId, String executorId) {
    Framework f = frameworks.get(frameworkId);
    if (f == null) {
      return;
    }
    Executor e = f.executors.remove(executorId);
    if (e != null) {
      metrics.executorTerminated();
      f.completedExecutors.addLast(e);
      while (f.completedExecutors.size() > MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK) {
        f.completedExecutors.removeFirst();
      }
    }
    if (f.executors.isEmpty()) {
      frameworks.remove(frameworkId);
      completedFrameworks.addLast(f);
      while (completedFrameworks.size() > MAX_COMPLETED_FRAMEWORKS) {
        completedFrameworks.removeFirst();
      }
    }
  }

  /** Lost in an agent restart (no checkpoint): a restarted Mesos agent has no record of it at all. */
  void forget(String frameworkId, String executorId) {
    Framework f = frameworks.get(frameworkId);
    if (f != null) {
      f.executors.remove(executorId);
      if (f.executors.isEmpty()) {
        frameworks.remove(frameworkId);
      }
    }
  }

  private Executor executor(String frameworkId, String executorId) {
    Framework f = frameworks.get(frameworkId);
    return f == null ? null : f.executors.get(executorId);
  }
}
