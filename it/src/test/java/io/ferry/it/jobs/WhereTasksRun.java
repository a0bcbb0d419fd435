package io.ferry.it.jobs;

import io.ferry.api.Task;
import io.ferry.api.TaskContext;
import io.ferry.driver.FerryContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An application for {@code bin/ferry-submit}: {@code WhereTasksRun <tasks> <millis>} runs that many
 * tasks, each waiting {@code millis} and then describing the process it ran in (its PID namespace,
 * {@code MESOS_SANDBOX}, {@code FERRY_HOME}, working directory), and prints one line per task:
 * the Docker tests tell from it whether executors ran inside a container.
 */
public final class WhereTasksRun {
  private WhereTasksRun() {}

  /** The description of the process a task runs in. */
  public record Where(long millis) implements Task<String> {
    @Override
    public String run(TaskContext context) throws Exception {
      if (millis > 0) {
        Thread.sleep(millis);
      }
      return "pidns=" + pidNamespace() + " sandbox=" + System.getenv("MESOS_SANDBOX") + " home="
          + System.getenv("FERRY_HOME") + " cwd=" + Path.of("").toAbsolutePath();
    }
  }

  /** {@code pid:[4026531836]}: differs between a container and its host. */
  public static String pidNamespace() throws IOException {
    return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
  }

  public static void main(String[] args) throws Exception {
    int tasks = Integer.parseInt(args[0]);
    long millis = Long.parseLong(args[1]);
    try (FerryContext ferry = FerryContext.create(Map.of())) {
      List<CompletableFuture<String>> futures = new ArrayList<>();
      for (int i = 0; i < tasks; i++) {
        futures.add(ferry.submit("where " + i, new Where(millis)));
      }
      System.out.println("WhereTasksRun: submitted " + tasks + " tasks");
      for (CompletableFuture<String> f : futures) {
        System.out.println("WhereTasksRun: " + f.get());
      }
    }
  }
}
