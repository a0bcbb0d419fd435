package io.ferry.packager.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shim's S3 commands, as the Mesos fetcher and people call them, over an in-memory store:
 * output shapes, exit codes, and the atomic local copy.
 */
@Timeout(30)
class HadoopShimS3Test {

  private static final String URI = "s3a://bucket/dist/ferry-1.0-bin.tgz";

  @TempDir
  Path dir;

  private final InMemoryObjectStore store = new InMemoryObjectStore();
  private HadoopShim shim;
  private byte[] content;

  @BeforeEach
  void setUp() {
    shim = new HadoopShim(Map.of(), env -> new Configuration(), (uri, conf) -> store);
    content = new byte[300_000];
    new Random(42).nextBytes(content);
    store.putObject(URI, content);
  }

  private ShimRun fs(String... args) {
    String[] argv = new String[args.length + 1];
    argv[0] = "fs";
    System.arraycopy(args, 0, argv, 1, args.length);
    return ShimRun.of(shim, argv);
  }

  @Test
  @Timeout(30)
  void testExistsAnswersByExitStatusOnly() {
    ShimRun present = fs("-test", "-e", URI);
    ShimRun missing = fs("-test", "-e", "s3a://bucket/dist/nope.tgz");

    assertThat(present.exit()).as(present.describe()).isZero();
    assertThat(missing.exit()).as(missing.describe()).isEqualTo(1);
    assertThat(present.out() + present.err() + missing.out() + missing.err()).isEmpty();
  }

  @Test
  @Timeout(30)
  void testFlagsFollowHadoop() {
    store.putObject("s3n://bucket/empty", new byte[0]);

    assertThat(fs("-test", "-f", URI).exit()).isZero();
    assertThat(fs("-test", "-s", URI).exit()).isZero();
    assertThat(fs("-test", "-z", URI).exit()).isEqualTo(1);
    assertThat(fs("-test", "-z", "s3n://bucket/empty").exit()).isZero();
    assertThat(fs("-test", "-d", URI).exit()).isEqualTo(1);
  }

  @Test
  @Timeout(30)
  void testWithoutFlagIsAUsageError() {
    ShimRun run = fs("-test", URI);

    assertThat(run.exit()).isEqualTo(-1);
    assertThat(run.err()).startsWith("-test: No test flag given\n")
        .contains("Usage: hadoop fs [generic options] -test -[defswrz] <path>");
  }

  @Test
  @Timeout(30)
  void duPrintsHadoopsThreeColumnsThatMesosParses() {
    ShimRun run = fs("-du", URI);

    assertThat(run.exit()).as(run.describe()).isZero();
    assertThat(run.out()).isEqualTo("300000  300000  " + URI + "\n");
    assertThat(MesosDuParser.size(run.out(), URI)).hasValue(content.length);
  }

  @Test
  @Timeout(30)
  void duOfAMissingObjectFailsLikeHadoop() {
    ShimRun run = fs("-du", "s3://bucket/nope");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("du: `s3://bucket/nope': No such file or directory\n");
  }

  @Test
  @Timeout(30)
  void copyToLocalWritesTheExactBytes() throws IOException {
    Path dest = dir.resolve("ferry-1.0-bin.tgz");

    ShimRun run = fs("-copyToLocal", URI, dest.toString());

    assertThat(run.exit()).as(run.describe()).isZero();
    assertThat(run.out() + run.err()).isEmpty();
    assertThat(Files.readAllBytes(dest)).isEqualTo(content);
    assertThat(dir).isDirectoryNotContaining("glob:**._COPYING_");
  }

  @Test
  @Timeout(30)
  void copyToLocalIntoADirectoryKeepsTheName() throws IOException {
    ShimRun run = fs("-get", URI, dir.toString());

    assertThat(run.exit()).as(run.describe()).isZero();
    assertThat(Files.readAllBytes(dir.resolve("ferry-1.0-bin.tgz"))).isEqualTo(content);
  }

  @Test
  @Timeout(30)
  void copyToLocalRefusesToOverwriteWithoutF() throws IOException {
    Path dest = Files.writeString(dir.resolve("x.tgz"), "old");

    ShimRun refused = fs("-copyToLocal", URI, dest.toString());
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).isEqualTo("copyToLocal: `" + dest + "': File exists\n");
    assertThat(Files.readString(dest)).isEqualTo("old");

    ShimRun forced = fs("-copyToLocal", "-f", URI, dest.toString());
    assertThat(forced.exit()).as(forced.describe()).isZero();
    assertThat(Files.readAllBytes(dest)).isEqualTo(content);
  }

  @Test
  @Timeout(30)
  void aReadCutPartWayLeavesNothingBehind() {
    store.failReadsAfter(100_000);
    Path dest = dir.resolve("ferry-1.0-bin.tgz");

    ShimRun run = fs("-copyToLocal", URI, dest.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("copyToLocal: ").contains(URI).contains("connection reset");
    assertThat(dest).doesNotExist();
    assertThat(AtomicLocalWrite.temporaryFor(dest)).doesNotExist();
  }

  @Test
  @Timeout(30)
  void copyToLocalOfAMissingObjectNamesIt() {
    ShimRun run = fs("-copyToLocal", "s3a://bucket/nope.tgz", dir.resolve("nope.tgz").toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("copyToLocal: `s3a://bucket/nope.tgz': No such file or directory\n");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  @Timeout(30)
  void copyToLocalNeedsTheParentDirectory() {
    String dest = dir.resolve("missing/x.tgz").toString();

    ShimRun run = fs("-copyToLocal", URI, dest);

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("copyToLocal: `" + dest + "': No such file or directory\n");
  }

  @Test
  @Timeout(30)
  void credentialsInAUriAreRefusedWithoutBeingEchoed() {
    ShimRun run = fs("-test", "-e", "s3a://AKIDEXAMPLE:s3cr3t@bucket/dist/ferry-1.0-bin.tgz");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("fs.s3a.secret.key").doesNotContain("s3cr3t");
  }

  @Test
  @Timeout(30)
  void copyFromLocalUploadsAndRefusesToOverwrite() throws IOException {
    Path local = Files.writeString(dir.resolve("app.jar"), "jar bytes");

    ShimRun first = fs("-copyFromLocal", local.toString(), "s3a://bucket/apps/app.jar");
    ShimRun second = fs("-copyFromLocal", local.toString(), "s3a://bucket/apps/app.jar");
    Files.writeString(local, "new jar bytes");
    ShimRun forced = fs("-copyFromLocal", "-f", local.toString(), "s3a://bucket/apps/app.jar");

    assertThat(first.exit()).as(first.describe()).isZero();
    assertThat(first.out() + first.err()).isEmpty();
    assertThat(second.exit()).isEqualTo(1);
    assertThat(second.err()).isEqualTo("copyFromLocal: `s3a://bucket/apps/app.jar': File exists\n");
    assertThat(forced.exit()).as(forced.describe()).isZero();
    assertThat(new String(store.object("s3a://bucket/apps/app.jar"), StandardCharsets.UTF_8))
        .isEqualTo("new jar bytes");
  }

  @Test
  @Timeout(30)
  void putIntoATrailingSlashKeepsTheFileName() throws IOException {
    Path local = Files.writeString(dir.resolve("conf.tgz"), "conf");

    ShimRun run = fs("-put", "file://" + local, "s3a://bucket/apps/");

    assertThat(run.exit()).as(run.describe()).isZero();
    assertThat(store.object("s3a://bucket/apps/conf.tgz")).isEqualTo("conf".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @Timeout(30)
  void putOfAMissingLocalFileFails() {
    String missing = dir.resolve("missing.jar").toString();

    ShimRun run = fs("-put", missing, "s3a://bucket/apps/missing.jar");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("put: `" + missing + "': No such file or directory\n");
  }

  @Test
  @Timeout(30)
  void rmPrintsDeletedAndFailsOnMissingUnlessF() {
    ShimRun first = fs("-rm", URI);
    ShimRun again = fs("-rm", URI);
    ShimRun forced = fs("-rm", "-f", URI);

    assertThat(first.exit()).as(first.describe()).isZero();
    assertThat(first.out()).isEqualTo("Deleted " + URI + "\n");
    assertThat(store.object(URI)).isNull();
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).isEqualTo("rm: `" + URI + "': No such file or directory\n");
    assertThat(forced.exit()).isZero();
    assertThat(forced.out() + forced.err()).isEmpty();
  }

  @Test
  @Timeout(30)
  void lsPrintsAHadoopLikeLine() {
    ShimRun run = fs("-ls", URI);

    assertThat(run.exit()).as(run.describe()).isZero();
    assertThat(run.out()).matches("-rw-rw-rw-   1 \\S+ \\S+     300000 \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d "
        + java.util.regex.Pattern.quote(URI) + "\n");
  }

  @Test
  @Timeout(30)
  void aUriMangledByOlderMesosAgentsStillWorks() {
    // Older hdfs.cpp prefixed "/" to every URI not starting with hdfs://.
    assertThat(fs("-test", "-e", "/" + URI).exit()).isZero();
  }

  @Test
  @Timeout(30)
  void commandsBeyondTheSubsetSayWhatIsSupported() {
    ShimRun run = fs("-cat", URI);

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("-cat: not supported for s3").contains("-copyToLocal");
  }

  @Test
  @Timeout(30)
  void theStoreIsClosedAfterEachCommand() {
    fs("-test", "-e", URI);

    assertThat(store.closes.get()).isEqualTo(1);
  }

  @Test
  @Timeout(30)
  void genericOptionsReachTheStoreConfiguration() {
    Configuration[] seen = new Configuration[1];
    HadoopShim capturing = new HadoopShim(Map.of(), env -> new Configuration(),
        (uri, conf) -> {
          seen[0] = conf;
          return store;
        });

    ShimRun run = ShimRun.of(capturing, "fs", "-D", "fs.s3a.endpoint=http://127.0.0.1:9",
        "-test", "-e", URI);

    assertThat(run.exit()).as(run.describe()).isZero();
    assertThat(seen[0].get("fs.s3a.endpoint")).isEqualTo("http://127.0.0.1:9");
  }
}
