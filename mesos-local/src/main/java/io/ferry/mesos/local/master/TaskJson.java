package io.ferry.mesos.local.master;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.ferry.mesos.local.http.MesosJson;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * A task as the master's endpoints show it (Mesos's {@code json(JSON::ObjectWriter*, const Task&)}
 * in {@code src/common/http.cpp}), and {@code /master/tasks} with its {@code limit}, {@code offset},
 * {@code order}, {@code framework_id} and {@code task_id} parameters
 * ({@code Master::ReadOnlyHandler::tasks}). Never reads {@code TaskInfo.data} or a command's
 * environment. On the master's thread.
 */
final class TaskJson {

  /** Mesos's {@code TASK_LIMIT}: {@code /master/tasks} answers at most this many without {@code limit}. */
  static final int DEFAULT_LIMIT = 100;

  private TaskJson() {}

  static JsonObject task(TaskRecord t) {
    TaskInfo info = t.info;
    JsonObject o = new JsonObject();
    o.addProperty("id", info.getTaskId().getValue());
    o.addProperty("name", info.getName());
    o.addProperty("framework_id", t.frameworkId);
    o.addProperty("executor_id", info.hasExecutor() ? info.getExecutor().getExecutorId().getValue() : "");
    o.addProperty("slave_id", t.agentId);
    o.addProperty("state", t.latest.getState().name());
    o.add("resources", MesosJson.resources(info.getResourcesList()));
    o.addProperty("role", MesosJson.role(info.getResourcesList()));
    o.add("statuses", MesosJson.statuses(t.statuses));
    user(info).ifPresent(user -> o.addProperty("user", user));
    if (info.hasLabels()) {
      o.add("labels", MesosJson.labels(info.getLabels()));
    }
    if (info.hasDiscovery()) {
      o.add("discovery", MesosJson.proto(info.getDiscovery()));
    }
    return o;
  }

  /** {@code protobuf::createTask}: the command's user, else the executor's command's. */
  private static Optional<String> user(TaskInfo info) {
    if (info.hasCommand() && info.getCommand().hasUser()) {
      return Optional.of(info.getCommand().getUser());
    }
    if (info.hasExecutor() && info.getExecutor().getCommand().hasUser()) {
      return Optional.of(info.getExecutor().getCommand().getUser());
    }
    return Optional.empty();
  }

  /** The query of {@code /master/tasks}, parsed as Mesos parses it (what does not parse is the default). */
  record Query(int limit, int offset, boolean ascending, Optional<String> frameworkId, Optional<String> taskId) {
    static Query of(java.util.Map<String, List<String>> params) {
      return new Query(integer(params, "limit").orElse(DEFAULT_LIMIT), integer(params, "offset").orElse(0),
          first(params, "order").filter("asc"::equals).isPresent(), first(params, "framework_id"),
          first(params, "task_id"));
    }

    private static Optional<String> first(java.util.Map<String, List<String>> params, String name) {
      List<String> v = params.get(name);
      return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    private static Optional<Integer> integer(java.util.Map<String, List<String>> params, String name) {
      try {
        return first(params, name).map(Integer::parseInt).filter(n -> n >= 0);
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
  }

  /** {@code /master/tasks}: active, unreachable and completed tasks of active and completed frameworks. */
  static JsonObject tasks(MasterCore core, Query q) {
    List<FrameworkRecord> frameworks = new ArrayList<>(core.frameworkRecords());
    frameworks.addAll(core.completedFrameworkRecords());
    List<TaskRecord> all = new ArrayList<>();
    for (FrameworkRecord f : frameworks) {
      if (q.frameworkId().isPresent() && !q.frameworkId().get().equals(f.id)) {
        continue;
      }
      all.addAll(core.taskRecords(f.id));
      all.addAll(f.completedTasks);
    }
    if (q.taskId().isPresent()) {
      all.removeIf(t -> !t.info.getTaskId().getValue().equals(q.taskId().get()));
    }
    // Mesos's TaskComparator: by the first status's timestamp (tasks have at least TASK_STAGING).
    Comparator<TaskRecord> byStart = Comparator.comparingDouble(t -> t.statuses.get(0).getTimestamp());
    all.sort(q.ascending() ? byStart : byStart.reversed());
    JsonArray out = new JsonArray();
    long end = Math.min((long) q.offset() + q.limit(), all.size());
    for (int i = q.offset(); i < end; i++) {
      out.add(task(all.get(i)));
    }
    JsonObject root = new JsonObject();
    root.add("tasks", out);
    return root;
  }
}
