package io.ferry.bench;

import io.ferry.packager.Publisher;
import io.ferry.packager.TarballBuilder;
import io.ferry.packager.store.HttpOptions;
import io.ferry.packager.store.RetryPolicy;
import io.ferry.packager.store.S3Options;
import io.ferry.packager.store.Stores;
import io.ferry.packager.store.TransferListener;
import io.ferry.packager.testing.MiniHdfs;
import io.ferry.packager.testing.NginxServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FsShell;
import org.apache.hadoop.util.ToolRunner;

/**
 * Packaging benchmarks, side by side in one run on the same input:
 * <ul>
 *   <li>archive time and size: Ferry's builder vs {@code tar czf} (GNU tar + gzip) and
 *       {@code tar -I pigz} where pigz is installed;
 *   <li>upload throughput: Ferry's publisher vs {@code curl -T} to the same nginx, and vs
 *       Hadoop's FsShell {@code -put} to the same MiniDFSCluster.
 * </ul>
 * Each figure is the median of {@code reps} runs after one unmeasured warm-up of each tool. The
 * {@code bin/ferry-package build} command and {@code tar -I pigz} run alternately (ABBA), as do
 * the uploads and their baselines.
 *
 * <p>Usage: {@code PackagingBench DIST_DIR WORK_DIR [REPS] [FERRY_PACKAGE_LAUNCHER]}
 */
public final class PackagingBench {

  /** The archive of dist/ when issue 10 was filed (trial13: 87 jars in lib/, 94 MiB of them). */
  private static final String BASELINE_ARCHIVE_MIB = "84.2";

  private final Path dist;
  private final Path work;
  private final int reps;
  private final Path launcher;
  private final Table table = new Table();

  private PackagingBench(Path dist, Path work, int reps, Path launcher) {
    this.dist = dist;
    this.work = work;
    this.reps = reps;
    this.launcher = launcher;
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: PackagingBench DIST_DIR WORK_DIR [REPS] [bin/ferry-package]");
      System.exit(2);
    }
    Path dist = Path.of(args[0]).toAbsolutePath();
    Path work = Files.createDirectories(Path.of(args[1]).toAbsolutePath());
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Path launcher = args.length > 3 ? Path.of(args[3]) : dist.resolve("bin/ferry-package");
    PackagingBench bench = new PackagingBench(dist, work, reps, launcher);
    Path archive = bench.archive();
    bench.uploadHttp(archive);
    bench.uploadHdfs(archive);
    bench.table.print(System.out);
  }

  private Path archive() throws Exception {
    long input = Sizes.tree(dist);
    System.err.printf(Locale.ROOT, "input: %s (%.1f MiB)%n", dist, input / 1048576.0);
    Path parent = dist.getParent();
    String name = dist.getFileName().toString();
    Path gz = work.resolve("tar-gzip.tgz");
    Path pigz = work.resolve("tar-pigz.tgz");
    Path ferry = work.resolve("ferry-bench-bin.tgz");
    Path ferryCli = work.resolve("cli/ferry-bench-bin.tgz");

    Result tarGzip = measure(() -> run("tar", "-C", parent.toString(), "-czf", gz.toString(), name));
    Action ferryCommandRun = () -> run(launcher.toString(), "--quiet", "build", dist.toString(), "--out",
        ferryCli.toString(), "--source-date-epoch", "1700000000");
    Action pigzRun = () -> run("tar", "-C", parent.toString(), "-I", "pigz", "-cf", pigz.toString(), name);
    // The command and pigz, the target's two sides, alternate rep by rep (ABBA): this machine's speed
    // drifts by 10% within minutes, more than the difference the target is about. They run before the
    // builder runs in this JVM, so that its JIT and G1 have no work left to do beside them.
    boolean hasPigz = onPath("pigz");
    Result[] commandAndPigz = hasPigz ? alternate(ferryCommandRun, pigzRun, () -> { }) : null;
    Result ferryCommand = hasPigz ? commandAndPigz[0] : measure(ferryCommandRun);
    Result ferryBuild = measure(() -> TarballBuilder.forDirectory(dist).mtime(Instant.ofEpochSecond(1_700_000_000L))
        .build(ferry));
    // The same builder with every byte deflated (no jar entry data stored): what the archive cost
    // before round 2 of issue 10, for the size and time the stored blocks trade.
    Path ferryDeflated = work.resolve("ferry-deflated-bin.tgz");
    Result ferryAllDeflated = measure(() -> TarballBuilder.forDirectory(dist).mtime(Instant.ofEpochSecond(1_700_000_000L))
        .storeEntriesOf(0).build(ferryDeflated));
    // What a new JVM costs before and after any real archiving (issue 10 asks where the command's
    // time goes): the same command on a directory of one small file.
    Path tiny = Files.createDirectories(work.resolve("tiny/dist"));
    Files.writeString(tiny.resolve("README"), "one small file\n");
    Path tinyOut = work.resolve("tiny/out/ferry-tiny-bin.tgz");
    Result ferryStartOnly = measure(() -> run(launcher.toString(), "--quiet", "build", tiny.toString(), "--out",
        tinyOut.toString(), "--source-date-epoch", "1700000000"));
    long gzSize = Files.size(gz);
    // The headline: the distribution archive as make-distribution.sh writes it (level 6).
    Summary.add("packaging", "distribution archive size (bin/ferry-package build of dist/)",
        String.format(Locale.ROOT, "%.1f MiB", Files.size(ferryCli) / 1048576.0),
        String.format(Locale.ROOT, "%s MiB before issue 10", BASELINE_ARCHIVE_MIB), "", "<= 60 MiB");
    table.add("archive: tar czf (GNU tar + gzip -6)", tarGzip, gzSize, "1.00x time, 1.000x size", null);
    table.add("archive: Ferry TarballBuilder (warm JVM)", ferryBuild, Files.size(ferry),
        ratio(tarGzip, ferryBuild) + " faster, " + sizeRatio(Files.size(ferry), gzSize) + " size", null);
    table.add("archive: Ferry TarballBuilder, jar data deflated again too (warm JVM)", ferryAllDeflated,
        Files.size(ferryDeflated), ratio(tarGzip, ferryAllDeflated) + " faster, "
            + sizeRatio(Files.size(ferryDeflated), gzSize) + " size", null);
    table.add("archive: bin/ferry-package build (new JVM)", ferryCommand, Files.size(ferryCli),
        ratio(tarGzip, ferryCommand) + " faster, " + sizeRatio(Files.size(ferryCli), gzSize) + " size", null);
    table.add("archive: bin/ferry-package build of one small file (new JVM: the fixed cost)", ferryStartOnly, 0,
        String.format(Locale.ROOT, "%.0f%% of the command's time", 100 * ferryStartOnly.median() / ferryCommand.median()),
        null);
    if (hasPigz) {
      Result tarPigz = commandAndPigz[1];
      table.add("archive: tar -I pigz (alternating with the command above)", tarPigz, Files.size(pigz),
          ratio(tarGzip, tarPigz) + " faster, " + sizeRatio(Files.size(pigz), gzSize) + " size", null);
      table.note(String.format(Locale.ROOT, "archive: Ferry vs pigz time: warm JVM %.2fx, new JVM %.2fx (>1 = Ferry faster)",
          tarPigz.median() / ferryBuild.median(), tarPigz.median() / ferryCommand.median()));
      table.note(String.format(Locale.ROOT, "archive: Ferry's size vs pigz's %.4fx, vs Ferry with every byte deflated %.4fx",
          Files.size(ferryCli) / (double) Files.size(pigz), Files.size(ferryCli) / (double) Files.size(ferryDeflated)));
      Summary.add("packaging", "archive build as a command: bin/ferry-package build vs tar -I pigz",
          String.format(Locale.ROOT, "%.3f s", ferryCommand.median()),
          String.format(Locale.ROOT, "pigz %.3f s (issue 10: 0.64x)", tarPigz.median()),
          String.format(Locale.ROOT, "%.2fx pigz's speed", tarPigz.median() / ferryCommand.median()), ">= 1.00x");
    } else {
      table.note("archive: pigz is not installed; apt-get install pigz to compare");
    }
    return ferry;
  }

  private void uploadHttp(Path archive) throws Exception {
    long size = Files.size(archive);
    Stores stores = new Stores(S3Options.DEFAULTS, HttpOptions.DEFAULTS, new org.apache.hadoop.conf.Configuration(),
        RetryPolicy.NONE);
    try (NginxServer nginx = NginxServer.start(work.resolve("nginx"))) {
      String name = archive.getFileName().toString();
      SendClock clock = new SendClock(size);
      Result[] r = alternate(
          () -> run("curl", "-sS", "-f", "-T", archive.toString(), nginx.uri(NginxServer.DAV + "curl/" + name).toString()),
          () -> new Publisher(stores).publish(archive, nginx.uri(NginxServer.DAV + "ferry/" + name), false, clock.start()),
          () -> deleteTree(nginx.root()));
      Result curl = r[0];
      Result ferry = r[1];
      Result ferrySend = clock.result();
      table.add("upload http: curl -T (PUT only)", curl, size, "1.00x", size);
      table.add("upload http: Ferry, PUT phase (to the last byte sent)", ferrySend, size,
          ratio(curl, ferrySend) + " of curl's throughput", size);
      table.add("upload http: Ferry publish (HEAD, PUT, read-back CRC-32C check, sidecar)", ferry, size,
          ratio(curl, ferry) + " of curl's throughput", size);
    }
  }

  private void uploadHdfs(Path archive) throws Exception {
    long size = Files.size(archive);
    try (MiniHdfs hdfs = MiniHdfs.start(work.resolve("hdfs"), 1)) {
      FsShell shell = new FsShell(hdfs.clientConf());
      Stores stores = new Stores(S3Options.DEFAULTS, HttpOptions.DEFAULTS, hdfs.clientConf(), RetryPolicy.NONE);
      org.apache.hadoop.fs.FileSystem fs = hdfs.fileSystem();
      Result[] r = alternate(
          () -> check(ToolRunner.run(shell, new String[] {"-put", archive.toString(), hdfs.uri("/fsshell.tgz").toString()}) == 0, "put"),
          () -> new Publisher(stores).publish(archive, hdfs.uri("/ferry/" + archive.getFileName()), false, TransferListener.NONE),
          () -> {
            fs.delete(new org.apache.hadoop.fs.Path("/fsshell.tgz"), false);
            fs.delete(new org.apache.hadoop.fs.Path("/ferry"), true);
          });
      Result fsShell = r[0];
      Result ferry = r[1];
      table.add("upload hdfs: FsShell -put", fsShell, size, "1.00x", size);
      table.add("upload hdfs: Ferry publish (put + rename + sidecar)", ferry, size,
          ratio(fsShell, ferry) + " of FsShell's throughput", size);
    }
  }

  /**
   * Runs two contenders alternately (ABBA order), so that a slow spell of the machine (page-cache
   * writeback, another process) falls on both alike; {@code cleanup} runs untimed after each run.
   */
  private Result[] alternate(Action a, Action b, Action cleanup) throws Exception {
    a.run();
    cleanup.run();
    b.run();
    cleanup.run();
    List<Long> ta = new ArrayList<>();
    List<Long> tb = new ArrayList<>();
    for (int i = 0; i < reps; i++) {
      boolean aFirst = i % 2 == 0;
      for (int k = 0; k < 2; k++) {
        boolean runA = aFirst == (k == 0);
        long t0 = System.nanoTime();
        (runA ? a : b).run();
        (runA ? ta : tb).add(System.nanoTime() - t0);
        cleanup.run();
      }
    }
    return new Result[] {new Result(ta), new Result(tb)};
  }

  private Result measure(Action action) throws Exception {
    action.run();
    List<Long> nanos = new ArrayList<>();
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      action.run();
      nanos.add(System.nanoTime() - t0);
    }
    return new Result(nanos);
  }

  private static void deleteTree(Path root) throws IOException {
    try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        if (!p.equals(root)) {
          Files.delete(p);
        }
      }
    }
  }

  private static String ratio(Result baseline, Result candidate) {
    return String.format(Locale.ROOT, "%.2fx", baseline.median() / candidate.median());
  }

  private static String sizeRatio(long candidate, long baseline) {
    return String.format(Locale.ROOT, "%.4fx", candidate / (double) baseline);
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what + " failed");
    }
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + new String(out));
      }
    } finally {
      p.destroyForcibly();
    }
  }

  @FunctionalInterface
  interface Action {
    void run() throws Exception;
  }
}
