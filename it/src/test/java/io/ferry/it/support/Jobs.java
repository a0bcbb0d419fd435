package io.ferry.it.support;

import io.ferry.driver.FerryContext;
import io.ferry.it.jobs.PiSlice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Driver settings and jobs shared by the tests. */
public final class Jobs {
  private Jobs() {}

  /** A driver on loopback with small executors, tasks from {@code appJar}. */
  public static Map<String, String> settings(String master, String executorUri, boolean coarse, Path appJar,
      Path workDir) {
    Map<String, String> s = new HashMap<>();
    s.put("ferry.master", master);
    s.put("ferry.executor.uri", executorUri);
    s.put("ferry.mesos.coarse", String.valueOf(coarse));
    s.put("ferry.executor.memory", "192m");
    s.put("ferry.executor.memoryOverhead", "64m");
    s.put("ferry.driver.host", "127.0.0.1");
    s.put("ferry.driver.bindAddress", "127.0.0.1");
    s.put("ferry.jars", appJar.toString());
    s.put("ferry.local.dir", workDir.toString());
    return s;
  }

  /** Runs {@code slices} Pi slices and checks every count against one computed here. */
  public static void runPi(FerryContext ferry, int slices, long darts) throws InterruptedException {
    List<PiSlice> tasks = new ArrayList<>();
    for (int i = 0; i < slices; i++) {
      tasks.add(new PiSlice(i, darts));
    }
    List<Long> counts = ferry.runAll(tasks);
    for (int i = 0; i < slices; i++) {
      long expected = PiSlice.count(i, darts);
      if (counts.get(i) != expected) {
        throw new AssertionError("slice " + i + ": " + counts.get(i) + " (expected " + expected + ")");
      }
    }
    double pi = 4.0 * counts.stream().mapToLong(Long::longValue).sum() / ((double) slices * darts);
    if (Math.abs(pi - Math.PI) > 0.05) {
      throw new AssertionError("pi " + pi);
    }
  }

  public static Map<String, String> with(Map<String, String> base, String... kv) {
    Map<String, String> m = new HashMap<>(base);
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
