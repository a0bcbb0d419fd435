package io.ferry.packager.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@link PlainBuildArgs} reads {@code build}'s arguments as picocli does, or leaves them to it.
 * Each argument list is read both ways into fresh commands and the fields compared.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PlainBuildArgsTest {

  private static final PrintStream SINK = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  private record Reading(boolean quiet, boolean debug, Path dir, Path out, String topLevel, Long epoch, int level,
      Integer threads) {
    static Reading of(FerryPackage root, BuildCommand build) {
      return new Reading(root.quiet, root.debug, build.dir, build.out, build.topLevel, build.sourceDateEpoch,
          build.level, build.threads);
    }
  }

  private static FerryPackage root() {
    return new FerryPackage(SINK, SINK, Map.of(), false);
  }

  private static Reading picocli(String... args) {
    FerryPackage root = root();
    BuildCommand build = new BuildCommand(root);
    new CommandLine(root).addSubcommand(build).parseArgs(args);
    return Reading.of(root, build);
  }

  private static Reading plain(String... args) {
    FerryPackage root = root();
    BuildCommand build = new BuildCommand(root);
    assertThat(PlainBuildArgs.read(args, root, build)).as("read without picocli: %s", List.of(args)).isTrue();
    return Reading.of(root, build);
  }

  private static void leftToPicocli(String... args) {
    FerryPackage root = root();
    BuildCommand build = new BuildCommand(root);
    Reading before = Reading.of(root, build);
    assertThat(PlainBuildArgs.read(args, root, build)).as("left to picocli: %s", List.of(args)).isFalse();
    assertThat(Reading.of(root, build)).as("nothing set").isEqualTo(before);
  }

  @Test
  void plainArgumentsReadAsPicocliReadsThem() {
    List<String[]> cases = new ArrayList<>();
    cases.add(new String[] {"build", "dist", "--out", "a.tgz"});
    cases.add(new String[] {"--quiet", "build", "dist", "--out", "a.tgz"});
    cases.add(new String[] {"--debug", "--quiet", "build", "dist", "--out=a.tgz", "--level", "9"});
    cases.add(new String[] {"build", "--out", "x/a.tar.gz", "dist", "--top-level", "top", "--source-date-epoch",
        "1700000000", "--threads", "3"});
    cases.add(new String[] {"build", "dist", "--out", "a.tgz", "--quiet"});
    cases.add(new String[] {"build", "dist", "--level=1", "--out", "a.tgz", "--debug", "--threads=1"});
    cases.add(new String[] {"build", "dist dir/with space", "--out", "b c.tgz", "--top-level=a=b"});
    cases.add(new String[] {"build", "dist", "--out", "a.tgz", "--source-date-epoch=0", "--level", "+5"});
    for (String[] args : cases) {
      assertThat(plain(args)).as("%s", List.of(args)).isEqualTo(picocli(args));
    }
  }

  @Test
  void anythingElseIsLeftToPicocli() {
    leftToPicocli("build", "dist");
    leftToPicocli("build", "--out", "a.tgz");
    leftToPicocli("build", "dist", "--out", "a.tgz", "--out", "b.tgz");
    leftToPicocli("build", "dist", "other", "--out", "a.tgz");
    leftToPicocli("build", "dist", "--out");
    leftToPicocli("build", "dist", "--out", "--level");
    leftToPicocli("build", "dist", "--out", "a.tgz", "--level", "six");
    leftToPicocli("build", "dist", "--out", "a.tgz", "--source-date-epoch", "");
    leftToPicocli("build", "dist", "--out", "a.tgz", "--threads", "99999999999");
    leftToPicocli("build", "dist", "--out", "a.tgz", "--bogus");
    leftToPicocli("build", "dist", "--out", "a.tgz", "-q");
    leftToPicocli("build", "--help");
    leftToPicocli("build", "dist", "--out", "a.tgz", "-h");
    leftToPicocli("--version", "build", "dist", "--out", "a.tgz");
    leftToPicocli("build", "--", "dist", "--out", "a.tgz");
    leftToPicocli("--quiet", "--quiet", "build", "dist", "--out", "a.tgz");
    leftToPicocli("--quiet=true", "build", "dist", "--out", "a.tgz");
    leftToPicocli("--out", "a.tgz", "build", "dist");
    leftToPicocli("upload", "a.tgz", "file:///tmp/x/");
    leftToPicocli("build", "dist\0", "--out", "a.tgz");
  }

  @Test
  void whatIsLeftToPicocliStillGetsItsError(@TempDir Path tmp) throws Exception {
    Files.createDirectories(tmp.resolve("dist"));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = FerryPackage.run(new String[] {"build", tmp.resolve("dist").toString(), "--level", "six",
        "--out", tmp.resolve("a.tgz").toString()}, SINK, new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(),
        false);
    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--level").contains("six");
    assertThat(tmp.resolve("a.tgz")).doesNotExist();
    assertThatThrownBy(() -> picocli("build", "dist", "--level", "six", "--out", "a.tgz"))
        .isInstanceOf(CommandLine.ParameterException.class);
  }

  /**
   * The point of the plain reading, checked in a new JVM as the launcher starts one: {@code build}
   * loads no picocli class, and nothing from Hadoop or the AWS SDK.
   */
  @Test
  void aBuildLoadsNeitherPicocliNorTheStoresLibraries(@TempDir Path tmp) throws Exception {
    Path dist = Files.createDirectories(tmp.resolve("dist/bin"));
    Files.writeString(dist.resolve("tool"), "#!/bin/sh\n");
    Path log = tmp.resolve("classes.log");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xlog:class+load:file=" + log, "-cp", System.getProperty("java.class.path"),
        FerryPackage.class.getName(), "--quiet", "build", tmp.resolve("dist").toString(),
        "--out", tmp.resolve("a.tgz").toString(), "--source-date-epoch", "1700000000")
        .redirectErrorStream(true).redirectOutput(tmp.resolve("out.txt").toFile()).start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new TimeoutException("ferry-package build did not end in 60 s");
      }
    } finally {
      p.destroyForcibly();
    }
    assertThat(p.exitValue()).as(Files.readString(tmp.resolve("out.txt"))).isZero();
    assertThat(tmp.resolve("a.tgz")).exists();
    List<String> loaded = Files.readAllLines(log);
    assertThat(loaded).anyMatch(l -> l.contains("io.ferry.packager.TarballBuilder "));
    assertThat(loaded).noneMatch(l -> l.contains(" picocli.") || l.contains(" org.apache.hadoop.")
        || l.contains(" software.amazon."));
  }
}
