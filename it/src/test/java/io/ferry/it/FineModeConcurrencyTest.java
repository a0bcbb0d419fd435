package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.driver.FerryContext;
import io.ferry.it.jobs.BarrierTask;
import io.ferry.it.support.AppJar;
import io.ferry.it.support.Distribution;
import io.ferry.it.support.Jobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-grained mode: the tasks Mesos launches together on one executor (each with its own cpus)
 * run together. One agent with room for three tasks beside the executor's own cpu; three tasks
 * that each wait for the others. (The executor used to size its task pool by its own cpus, so
 * they ran one at a time while Mesos counted them all as running.)
 */
@Timeout(120)
class FineModeConcurrencyTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  @Test
  void tasksLaunchedOnOneExecutorRunAtTheSameTime() throws Exception {
    Distribution dist = Distribution.locate();
    Path archive = dist.buildArchive(Files.createDirectories(dir.resolve("archive")));
    Path appJar = AppJar.build(Files.createDirectories(dir.resolve("app")));
    Path barrier = Files.createDirectories(dir.resolve("barrier"));
    try (FerryContext ferry = FerryContext.create(Jobs.with(
        Jobs.settings("local-cluster[1,4,2048]", Distribution.fileUri(archive), false, appJar, dir.resolve("work")),
        "ferry.task.maxFailures", "1"))) {
      List<BarrierTask> tasks = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        tasks.add(new BarrierTask(i, 3, 20_000, barrier.toString()));
      }
      assertThat(ferry.runAll(tasks)).containsOnly(3);
    }
    try (Stream<Path> files = Files.list(barrier)) {
      assertThat(new HashSet<>(files.map(p -> {
        try {
          return Files.readString(p);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList())).as("one executor ran all three").hasSize(1);
    }
  }
}
