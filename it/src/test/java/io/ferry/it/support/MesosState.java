package io.ferry.it.support;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ferry.mesos.local.master.LocalMaster;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Tasks as mesos-local's master shows them in {@code /state}. */
public final class MesosState {
  private MesosState() {}

  /** One task of any framework. */
  public record TaskView(String frameworkId, String id, String name, String state, String executorId, String agentId) {}

  public static List<TaskView> tasks(LocalMaster master) throws Exception {
    String json = master.stateJson().get(20, TimeUnit.SECONDS);
    List<TaskView> tasks = new ArrayList<>();
    for (JsonElement f : JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("frameworks")) {
      JsonObject fo = f.getAsJsonObject();
      for (JsonElement t : fo.getAsJsonArray("tasks")) {
        JsonObject to = t.getAsJsonObject();
        tasks.add(new TaskView(fo.get("id").getAsString(), to.get("id").getAsString(), to.get("name").getAsString(),
            to.get("state").getAsString(), to.has("executor_id") ? to.get("executor_id").getAsString() : "",
            to.get("slave_id").getAsString()));
      }
    }
    return tasks;
  }
}
