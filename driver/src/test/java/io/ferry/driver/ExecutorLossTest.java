package io.ferry.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.driver.testing.ExecutorArchive;
import io.ferry.driver.testing.ParkedTask;
import io.ferry.driver.testing.LogCapture;
import io.ferry.mesos.local.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kill -9} of one executor with two tasks in flight, on {@code local-cluster} with two
 * agents (issue 16): the executor's loss is not the tasks' failure, so nothing excludes its agent
 * (no "excluding agent" line), both tasks run again, and every task's result arrives once.
 */
@Timeout(180)
class ExecutorLossTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "coarse={0}")
  @ValueSource(booleans = {false, true})
  void anExecutorKilledWithTwoTasksInFlightExcludesNothingAndItsTasksRunAgainOnce(boolean coarse) throws Exception {
    Path markerDir = Files.createDirectories(dir.resolve("markers"));
    Path archive = ExecutorArchive.build(dir);
    Map<String, String> settings = new HashMap<>(Map.of(
        // Fine: an executor's cpu and two task cpus per agent; coarse: two slots per agent.
        "ferry.master", coarse ? "local-cluster[2,2,1024]" : "local-cluster[2,3,1024]",
        "ferry.executor.uri", ExecutorArchive.uri(archive),
        "ferry.mesos.coarse", String.valueOf(coarse),
        "ferry.executor.memory", "256m",
        "ferry.local.dir", dir.resolve("work").toString()));
    int n = 4;
    try (LogCapture log = new LogCapture(); FerryContext ferry = FerryContext.create(settings)) {
      List<CompletableFuture<String>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(ferry.submit("parked " + i, new ParkedTask(i, markerDir.toString())));
      }
      // An executor process with two of the tasks in flight.
      long[] victim = new long[1];
      Await.until(Duration.ofSeconds(90), "an executor running two tasks", () -> {
        Map<Long, Long> perPid = ParkedTask.markers(markerDir, "running").values().stream().flatMap(List::stream)
            .collect(Collectors.groupingBy(pid -> pid, Collectors.counting()));
        Optional<Long> two = perPid.entrySet().stream().filter(e -> e.getValue() == 2).map(Map.Entry::getKey).findFirst();
        two.ifPresent(pid -> victim[0] = pid);
        return two.isPresent();
      });
      ProcessHandle executor = ProcessHandle.of(victim[0]).orElseThrow();
      assertThat(ProcessHandle.current().descendants().map(ProcessHandle::pid)).contains(victim[0]);
      List<Integer> cutOff = ParkedTask.markers(markerDir, "running").entrySet().stream()
          .filter(e -> e.getValue().contains(victim[0])).map(Map.Entry::getKey).toList();
      assertThat(cutOff).hasSize(2);

      executor.destroyForcibly(); // SIGKILL
      executor.onExit().get(10, TimeUnit.SECONDS);
      Await.until(Duration.ofSeconds(90), "both cut-off tasks running again on another executor", () -> {
        Map<Integer, List<Long>> running = ParkedTask.markers(markerDir, "running");
        return cutOff.stream().allMatch(i -> running.get(i).stream().anyMatch(pid -> pid != victim[0]));
      });
      ParkedTask.release(markerDir);

      for (int i = 0; i < n; i++) {
        String[] result = futures.get(i).get(60, TimeUnit.SECONDS).split("/");
        assertThat(result[0]).isEqualTo(String.valueOf(i));
        assertThat(Long.parseLong(result[1])).as("task %d's result comes from a live executor", i).isNotEqualTo(victim[0]);
      }
      Map<Integer, List<Long>> done = ParkedTask.markers(markerDir, "done");
      for (int i = 0; i < n; i++) {
        assertThat(done.get(i)).as("attempts of task %d that ran to the end", i).hasSize(1);
      }
      assertThat(log.linesContaining("excluding agent")).isEmpty();
      assertThat(log.linesContaining("task failures in a row")).isEmpty();
      // Counted as the executor's loss, not as their failure, whichever news of it came first: the
      // driver link closing (the backend's line) or the agent's TASK_FAILED (REASON_EXECUTOR_TERMINATED)
      for (int i : cutOff) {
        assertThat(log.linesContaining("task " + i + " (parked " + i + ") attempt 0 was cut off"))
            .as("task %d's attempt counted as an executor loss", i).isNotEmpty()
            .allMatch(l -> l.contains("executor losses are not task failures"));
      }
    }
  }
}
