package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.it.support.ChildProcess;
import io.ferry.it.support.Distribution;
import io.ferry.packager.TarballBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to the real launchers of {@code dist/} (issue 16, section 5): each is one clear line
 * and the documented exit code, never a misleading one.
 */
@Timeout(240)
class LauncherInputErrorsTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  static Distribution dist;
  static final Map<String, String> ENV = Map.of("JAVA_HOME", System.getProperty("java.home"));

  @BeforeAll
  static void locate() throws Exception {
    dist = Distribution.locate();
  }

  @Test
  void aBadExecutorMemoryIsABadEnvironmentExitTwoInOneLineNamingTheVariable() throws Exception {
    ChildProcess.Result r = ChildProcess.run(dir.resolve("executor.log"),
        Map.of("JAVA_HOME", System.getProperty("java.home"), "FERRY_EXECUTOR_MEMORY", "lots"), Duration.ofSeconds(60),
        List.of(dist.bin("ferry-executor").toString()));
    assertThat(r.exitCode()).as(r.output()).isEqualTo(2);
    assertThat(r.output().strip()).isEqualTo("ferry-executor: FERRY_EXECUTOR_MEMORY=lots is not a JVM heap size"
        + " (expected: a number with k, m, g or t, such as 512m or 2g; the driver sets it from ferry.executor.memory)");
  }

  @Test
  void anExecutorUriOfSomeOtherArchiveEndsTheJobPromptlyNamingTheUriAndTheLauncherItLacks() throws Exception {
    Path other = Files.createDirectories(dir.resolve("photos"));
    Files.writeString(other.resolve("cat.txt"), "not a Ferry distribution");
    // The name agents expect, the content of something else.
    Path archive = dir.resolve(dist.topLevel() + ".tgz");
    TarballBuilder.forDirectory(other).topLevel("photos").build(archive);
    String uri = Distribution.fileUri(archive);
    ChildProcess.Result r = ChildProcess.run(dir.resolve("submit.log"), ENV, Duration.ofSeconds(120), List.of(
        dist.bin("ferry-submit").toString(), "--master", "local-cluster[2,2,1024]", "--executor-uri", uri,
        "--conf", "ferry.executor.memory=256m", "--conf", "ferry.task.maxFailures=1000",
        "--conf", "ferry.local.dir=" + dir.resolve("work"),
        "--class", "io.ferry.examples.Pi", dist.examplesJar().toString(), "2", "1000"));
    assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
    assertThat(r.output().lines().filter(l -> l.startsWith("ferry-submit: ")))
        .singleElement().asString()
        .startsWith("ferry-submit: io.ferry.examples.Pi failed: the executor archive " + uri + " has no "
            + dist.topLevel() + "/bin/ferry-executor: ");
    assertThat(r.output()).doesNotContain("\tat ");
  }

  @Test
  void sparkKeysGetOneWarningEachAndTheRunGoesOn() throws Exception {
    ChildProcess.Result r = ChildProcess.run(dir.resolve("submit.log"), ENV, Duration.ofSeconds(120), List.of(
        dist.bin("ferry-submit").toString(), "--master", "local[2]", "--conf", "spark.executor.memory=2g",
        "--conf", "spark.foo=1", "--class", "io.ferry.examples.Pi", dist.examplesJar().toString(), "2", "1000"));
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output().lines().filter(l -> l.contains("WARN --conf"))).containsExactly(
        "ferry-submit: WARN --conf spark.executor.memory is not a Ferry setting and is ignored (Ferry reads only"
            + " ferry.* keys); did you mean ferry.executor.memory?",
        "ferry-submit: WARN --conf spark.foo is not a Ferry setting and is ignored (Ferry reads only ferry.* keys)");
    assertThat(r.output()).contains("Pi is roughly");
  }

  @Test
  void aFileThatIsNotAJarIsSaidToBeNotAJar() throws Exception {
    Path notAJar = dir.resolve("notajar.jar");
    Files.writeString(notAJar, "#!/bin/sh\necho hello\n");
    ChildProcess.Result r = ChildProcess.run(dir.resolve("submit.log"), ENV, Duration.ofSeconds(60), List.of(
        dist.bin("ferry-submit").toString(), "--master", "local[1]", "--class", "com.example.Main", notAJar.toString()));
    assertThat(r.exitCode()).as(r.output()).isEqualTo(2);
    assertThat(r.output().strip()).startsWith("ferry-submit: application jar " + notAJar + " is not a jar")
        .doesNotContain("is not in");
  }
}
