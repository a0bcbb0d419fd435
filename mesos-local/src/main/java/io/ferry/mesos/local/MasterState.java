package io.ferry.mesos.local;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What mesos-local's master says in its {@code /state}: frameworks, their tasks and used resources;
 * read by tests and benchmarks as an operator reads a real master's {@code /state}.
 */
public final class MasterState {
  private MasterState() {}

  /** Every framework in the master's state. */
  public static List<JsonObject> frameworks(LocalCluster cluster) {
    try {
      String state = cluster.master().stateJson().get(20, TimeUnit.SECONDS);
      List<JsonObject> frameworks = new ArrayList<>();
      for (JsonElement f : JsonParser.parseString(state).getAsJsonObject().getAsJsonArray("frameworks")) {
        frameworks.add(f.getAsJsonObject());
      }
      return frameworks;
    } catch (Exception e) {
      throw new IllegalStateException("cannot read mesos-local's state", e);
    }
  }

  /** The tasks (not completed) of every framework. */
  public static List<JsonObject> tasks(LocalCluster cluster) {
    List<JsonObject> tasks = new ArrayList<>();
    for (JsonObject f : frameworks(cluster)) {
      for (JsonElement t : f.getAsJsonArray("tasks")) {
        tasks.add(t.getAsJsonObject());
      }
    }
    return tasks;
  }

  /**
   * The {@code used_resources} of {@code resource} of every framework, summed by framework name, from
   * one read of the state (so that two frameworks' amounts are of the same moment).
   */
  public static Map<String, Double> usedByName(LocalCluster cluster, String resource) {
    Map<String, Double> used = new TreeMap<>();
    for (JsonObject f : frameworks(cluster)) {
      JsonObject resources = f.getAsJsonObject("used_resources");
      double amount = resources != null && resources.has(resource) ? resources.get(resource).getAsDouble() : 0;
      used.merge(f.get("name").getAsString(), amount, Double::sum);
    }
    return used;
  }

  /** The {@code used_resources} of {@code resource} of the frameworks named {@code name} (null: of all). */
  public static double used(LocalCluster cluster, String name, String resource) {
    Map<String, Double> used = usedByName(cluster, resource);
    return name == null ? used.values().stream().mapToDouble(Double::doubleValue).sum() : used.getOrDefault(name, 0.0);
  }
}
