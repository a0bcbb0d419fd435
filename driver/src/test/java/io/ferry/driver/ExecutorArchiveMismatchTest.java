package io.ferry.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.driver.testing.ExecutorArchive;
import io.ferry.driver.testing.SandboxStderr;
import io.ferry.packager.TarballBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor URI that points at an archive of some other directory (issue 16): the job fails at
 * once, not after {@code ferry.task.maxFailures} launches across agents, with one line naming the
 * URI and the launcher it lacks; the agent's sandbox says what the archive held.
 */
@Timeout(120)
class ExecutorArchiveMismatchTest {
  @TempDir Path dir;

  @Test
  void anArchiveWithoutTheLauncherFailsTheJobAtOnceNamingTheUriAndTheExpectedPath() throws Exception {
    Path other = Files.createDirectories(dir.resolve("not-ferry"));
    Files.writeString(other.resolve("README.txt"), "not a Ferry distribution");
    Path archive = dir.resolve("ferry-test-bin.tgz"); // the right name, the wrong content
    TarballBuilder.forDirectory(other).topLevel("not-ferry").build(archive);
    String uri = ExecutorArchive.uri(archive);
    Map<String, String> settings = Map.of(
        "ferry.master", "local-cluster[2,2,1024]",
        "ferry.executor.uri", uri,
        "ferry.executor.memory", "256m",
        // So many retries that retrying to exhaustion could not end within the wait below.
        "ferry.task.maxFailures", "1000",
        "ferry.local.dir", dir.resolve("work").toString());
    try (FerryContext ferry = FerryContext.create(settings)) {
      CompletableFuture<String> job = ferry.submit("never runs", ctx -> "ran");
      assertThatThrownBy(() -> job.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause()
          .isInstanceOf(TaskFailedException.class)
          .hasMessageStartingWith("the executor archive " + uri + " has no ferry-test-bin/bin/ferry-executor: ")
          .hasMessageContaining("ferry.executor.uri")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
      // Later work fails the same way at once, without launching anything.
      assertThatThrownBy(() -> ferry.submit("later", ctx -> "ran").get(5, TimeUnit.SECONDS))
          .cause().hasMessageContaining("has no ferry-test-bin/bin/ferry-executor");
    }
    List<String> sandboxLines = SandboxStderr.linesStartingWith(dir.resolve("work"),
        "ferry: no ferry-test-bin/bin/ferry-executor in the sandbox");
    assertThat(sandboxLines).isNotEmpty().allMatch(l -> l.contains("the sandbox holds: ") && l.contains("not-ferry"));
  }
}
