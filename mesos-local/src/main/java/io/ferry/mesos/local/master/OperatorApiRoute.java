package io.ferry.mesos.local.master;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.ferry.mesos.local.ThreadTimers;
import io.ferry.mesos.local.http.HttpResponses;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Map;
import java.util.Set;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Task;
import org.apache.mesos.v1.Protos.TaskState;

/**
 * The one call of Mesos's v1 operator API ({@code POST /api/v1}) that mesos-local answers:
 * {@code GET_TASKS} in JSON, shaped as {@code Master::Http::getTasks} answers it
 * ({@code {"type":"GET_TASKS","get_tasks":{"tasks":[...],"completed_tasks":[...],...}}}, each a
 * v1 {@code Task}). It is the endpoint where Mesos gives each task's statuses with their
 * {@code message} and {@code reason}, which its JSON state endpoints leave out; the web UI reads
 * it for a failed task's reason. As the master does (MESOS-1746), a status's {@code data} is
 * dropped; a {@code Task} has no {@code TaskInfo.data} to begin with.
 *
 * <p>Other operator calls are answered {@code 501} naming the one that is emulated.
 */
final class OperatorApiRoute {

  static final Set<String> PATHS = Set.of("/api/v1", "/master/api/v1");

  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().preservingProtoFieldNames()
      .omittingInsignificantWhitespace();

  private OperatorApiRoute() {}

  /** Checks the request on the event loop, then reads the tasks on the master's thread. */
  static void serve(Channel channel, HttpMethod method, String contentType, String accept, String body,
      MasterCore core, ThreadTimers master, boolean keepAlive) {
    if (!method.equals(HttpMethod.POST)) {
      HttpResponses.write(channel, 405, "Expecting 'POST', received '" + method.name() + "'",
          Map.of("Allow", "POST"), keepAlive);
      return;
    }
    if (contentType == null || !contentType.startsWith("application/json")) {
      HttpResponses.write(channel, 415, "mesos-local's operator API takes 'application/json' only (got "
          + (contentType == null ? "no Content-Type" : "'" + contentType + "'") + ")", Map.of(), keepAlive);
      return;
    }
    if (accept != null && !accept.contains("application/json") && !accept.contains("*/*")) {
      HttpResponses.write(channel, 406, "mesos-local's operator API answers 'application/json' only (Accept: '"
          + accept + "')", Map.of(), keepAlive);
      return;
    }
    String type;
    try {
      JsonElement call = JsonParser.parseString(body);
      JsonElement t = call.isJsonObject() ? call.getAsJsonObject().get("type") : null;
      if (t == null || !t.isJsonPrimitive()) {
        HttpResponses.write(channel, 400, "Failed to validate master::Call: Expecting 'type' to be present",
            Map.of(), keepAlive);
        return;
      }
      type = t.getAsString();
    } catch (JsonParseException | IllegalStateException e) {
      HttpResponses.write(channel, 400, "Failed to parse body into JSON: " + e.getMessage(), Map.of(), keepAlive);
      return;
    }
    if (!type.equals("GET_TASKS")) {
      HttpResponses.write(channel, 501, "mesos-local emulates only GET_TASKS of the operator API, not '"
          + printable(type) + "'", Map.of(), keepAlive);
      return;
    }
    master.execute(() -> HttpResponses.json(channel, getTasks(core), keepAlive));
  }

  /** On the master's thread. */
  static String getTasks(MasterCore core) {
    JsonArray active = new JsonArray();
    JsonArray unreachable = new JsonArray();
    JsonArray completed = new JsonArray();
    // As Master::ReadOnlyHandler::getTasks: live frameworks' tasks by state, then every completed
    // task of live and completed frameworks.
    for (FrameworkRecord f : core.frameworkRecords()) {
      for (TaskRecord t : core.taskRecords(f.id)) {
        JsonElement task = json(f.id, t);
        if (t.terminal()) {
          completed.add(task);
        } else if (t.latest.getState() == TaskState.TASK_UNREACHABLE) {
          unreachable.add(task);
        } else {
          active.add(task);
        }
      }
    }
    for (FrameworkRecord f : core.frameworkRecords()) {
      f.completedTasks.forEach(t -> completed.add(json(f.id, t)));
    }
    for (FrameworkRecord f : core.completedFrameworkRecords()) {
      f.completedTasks.forEach(t -> completed.add(json(f.id, t)));
    }
    JsonObject lists = new JsonObject();
    lists.add("tasks", active);
    lists.add("unreachable_tasks", unreachable);
    lists.add("completed_tasks", completed);
    JsonObject root = new JsonObject();
    root.addProperty("type", "GET_TASKS");
    root.add("get_tasks", lists);
    return root.toString();
  }

  private static Task task(String frameworkId, TaskRecord t) {
    Task.Builder task = Task.newBuilder().setName(t.info.getName()).setTaskId(t.info.getTaskId())
        .setFrameworkId(FrameworkID.newBuilder().setValue(frameworkId))
        .setAgentId(AgentID.newBuilder().setValue(t.agentId)).setState(t.latest.getState())
        .addAllResources(t.info.getResourcesList());
    if (t.info.hasExecutor()) {
      task.setExecutorId(t.info.getExecutor().getExecutorId());
    }
    // The statuses the master kept (TaskRecord.statuses: data already dropped, as Mesos drops it).
    t.statuses.forEach(s -> task.addStatuses(s.toBuilder().clearData()));
    return task.build();
  }

  private static JsonElement json(String frameworkId, TaskRecord t) {
    Task task = task(frameworkId, t);
    try {
      return JsonParser.parseString(PRINTER.print(task));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("printing task " + task.getTaskId().getValue(), e);
    }
  }

  private static String printable(String s) {
    String cut = s.length() > 64 ? s.substring(0, 64) + "…" : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
