package io.ferry.driver.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry-submit}'s main in a child JVM (exit codes and stderr as a user sees them): keys
 * outside {@code ferry.*} and files that are not jars (issue 16).
 */
@Timeout(120)
class FerrySubmitCliTest {
  @TempDir Path dir;

  private record Result(int exit, String stdout, String stderr) {}

  private Result submit(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), FerrySubmit.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(dir.resolve("out").toFile())
        .redirectError(dir.resolve("err").toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("FERRY_"));
    Process p = builder.start();
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ferry-submit ends").isTrue();
      return new Result(p.exitValue(), Files.readString(dir.resolve("out")), Files.readString(dir.resolve("err")));
    } finally {
      p.destroyForcibly();
    }
  }

  private Path emptyJar() throws Exception {
    Path jar = dir.resolve("app.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), new Manifest())) {
      out.flush();
    }
    return jar;
  }

  @Test
  void keysOutsideFerryGetOneWarningEachWithTheKeyTheyLikelyMeantAndAreIgnored() throws Exception {
    Result r = submit("--master", "local[1]", "--conf", "spark.executor.memory=2g", "--conf", "spark.mesos.coarse=true",
        "--conf", "spark.cores.max=4", "--conf", "spark.foo=1", "--conf", "ferry.app.name=echo",
        "--class", EchoApp.class.getName(), emptyJar().toString());
    assertThat(r.exit()).as(r.stderr()).isZero();
    List<String> warnings = r.stderr().lines().filter(l -> l.startsWith("ferry-submit: WARN")).toList();
    assertThat(warnings).containsExactly(
        "ferry-submit: WARN --conf spark.executor.memory is not a Ferry setting and is ignored (Ferry reads only"
            + " ferry.* keys); did you mean ferry.executor.memory?",
        "ferry-submit: WARN --conf spark.mesos.coarse is not a Ferry setting and is ignored (Ferry reads only"
            + " ferry.* keys); did you mean ferry.mesos.coarse?",
        "ferry-submit: WARN --conf spark.cores.max is not a Ferry setting and is ignored (Ferry reads only"
            + " ferry.* keys); did you mean ferry.cores.max?",
        "ferry-submit: WARN --conf spark.foo is not a Ferry setting and is ignored (Ferry reads only ferry.* keys)");
    assertThat(r.stdout()).contains("spark.foo=null ferry.app.name=echo");
  }

  @Test
  void aFileThatIsNotAJarIsSaidToBeNotAJar() throws Exception {
    Path notAJar = dir.resolve("notajar.jar");
    Files.writeString(notAJar, "#!/bin/sh\necho I am a script\n", StandardCharsets.UTF_8);
    Result r = submit("--master", "local[1]", "--class", "com.example.Main", notAJar.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stderr().strip()).startsWith("ferry-submit: application jar " + notAJar + " is not a jar")
        .doesNotContain("is not in").doesNotContain("\n");
  }

  @Test
  void aJarsEntryThatIsNotAJarIsNamedToo() throws Exception {
    Path notAJar = dir.resolve("lib.jar");
    Files.writeString(notAJar, "plain text");
    Result r = submit("--master", "local[1]", "--jars", notAJar.toString(), "--class", EchoApp.class.getName(),
        emptyJar().toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stderr().strip()).startsWith("ferry-submit: --jars entry " + notAJar + " is not a jar");
  }

  @Test
  void aJobPrintsItsResultOnStdoutAndOnlyPlainProgressOnStderrWhenNotOnATerminal() throws Exception {
    Result r = submit("--master", "local[2]", "--class", SquaresApp.class.getName(), emptyJar().toString());
    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(r.stdout()).isEqualTo("sum of squares 55\n");
    assertThat(r.stderr()).as("no INFO line (Ferry's default is WARN), no carriage return").doesNotContain(" INFO ")
        .doesNotContain("\r");
    assertThat(r.stderr().lines().toList()).isNotEmpty().allMatch(l -> l.startsWith("[ferry] "))
        .last().asString().startsWith("[ferry] 5/5 tasks done, 0 running, 0 waiting, 0 failed, 0 lost, 0:");
  }

  @Test
  void progressFlagForcesOrSilencesTheDisplayAndABadValueNamesTheKey() throws Exception {
    Result never = submit("--master", "local[2]", "--progress", "never", "--class", SquaresApp.class.getName(),
        emptyJar().toString());
    assertThat(never.exit()).as(never.stderr()).isZero();
    assertThat(never.stderr()).isEmpty();

    Result always = submit("--master", "local[2]", "--progress=always", "--class", SquaresApp.class.getName(),
        emptyJar().toString());
    assertThat(always.exit()).as(always.stderr()).isZero();
    assertThat(always.stderr()).contains("\r[ferry] ").endsWith("\n");

    Result bad = submit("--master", "local[2]", "--progress", "fancy", "--class", SquaresApp.class.getName(),
        emptyJar().toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.stderr()).contains("ferry.ui.progress: 'fancy'").contains("expected: auto, always or never");
  }

  @Test
  void verboseBringsFerrysInfoBack() throws Exception {
    Result r = submit("--master", "local[2]", "--verbose", "--class", SquaresApp.class.getName(),
        emptyJar().toString());
    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(r.stderr()).contains("INFO io.ferry.driver.FerryContext - running tasks on 2 local threads");
  }
}
