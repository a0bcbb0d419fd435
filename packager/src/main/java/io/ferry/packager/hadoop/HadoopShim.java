package io.ferry.packager.hadoop;

import io.ferry.packager.store.HttpOptions;
import io.ferry.packager.store.ObjectStore;
import io.ferry.packager.store.RetryPolicy;
import io.ferry.packager.store.S3Options;
import io.ferry.packager.store.Stores;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.fs.FsShell;
import org.apache.hadoop.util.Tool;
import org.apache.hadoop.util.ToolRunner;
import org.apache.hadoop.util.VersionInfo;

/**
 * Ferry's {@code bin/hadoop}: the part of the {@code hadoop} command that a Mesos agent's fetcher
 * runs, so an agent whose {@code --hadoop_home} points at an unpacked Ferry distribution fetches
 * {@code hdfs://} and {@code s3a://} URIs without a Hadoop install.
 *
 * <ul>
 *   <li>{@code hadoop version}: {@code Hadoop <version>} first, as Hadoop prints it; the agent
 *       only checks that it exits 0.
 *   <li>{@code hadoop fs} on {@code hdfs://}, {@code webhdfs://}, {@code file://} and plain
 *       paths: Hadoop's own {@link FsShell}, so output and exit codes are Hadoop's by
 *       construction.
 *   <li>{@code hadoop fs} on {@code s3://}, {@code s3a://} and {@code s3n://}: {@link S3FsShell}
 *       over Ferry's S3 client, configured from the {@code fs.s3a.*} keys
 *       ({@link S3OptionsFromHadoopConf}).
 * </ul>
 *
 * <p>The agent runs {@code hadoop version 2>&1} (through {@code sh -c}), then with stdin from
 * {@code /dev/null}: {@code hadoop fs -test -e URI}, {@code hadoop fs -du URI} (the fetcher cache
 * parses stdout for the size), {@code hadoop fs -copyToLocal URI DEST}, and for other uses
 * {@code -copyFromLocal} and {@code -rm}. So stdout carries only the command's output; logs go
 * to stderr ({@link ShimLogging}).
 *
 * <pre>{@code
 * String[] args = {"fs", "-du", "hdfs://nn:8020/x.tgz"};
 * int exit = new HadoopShim().run(args, System.out, System.err);
 * }</pre>
 */
public final class HadoopShim {

  /** Opens the {@link ObjectStore} serving one S3 URI; tests pass an in-memory one. */
  @FunctionalInterface
  interface S3StoreFactory {
    ObjectStore open(URI uri, Configuration conf) throws IOException;
  }

  // FsShell prints to System.out and System.err; run() swaps them, one caller at a time.
  private static final Object STDIO = new Object();

  private final Map<String, String> env;
  private final Function<Map<String, String>, Configuration> confLoader;
  private final S3StoreFactory s3Stores;

  /** The shim for this process: configuration from its environment, S3 through Ferry's client. */
  public HadoopShim() {
    this(System.getenv(), HadoopConfLoader::load, HadoopShim::openS3Store);
  }

  HadoopShim(Map<String, String> env, Function<Map<String, String>, Configuration> confLoader,
      S3StoreFactory s3Stores) {
    this.env = Map.copyOf(env);
    this.confLoader = confLoader;
    this.s3Stores = s3Stores;
  }

  public static void main(String[] args) {
    ShimLogging.configure(System.getenv(), args);
    int exit = new HadoopShim().run(args, System.out, System.err);
    System.out.flush();
    System.exit(exit);
  }

  /**
   * Runs one {@code hadoop} command line.
   *
   * @return the exit status: 0 on success, 1 on failure (and {@code -test}'s "no"), -1 for usage
   *     errors, as Hadoop's FsShell returns them
   */
  public int run(String[] args, PrintStream out, PrintStream err) {
    List<String> argv = List.of(args);
    Map<String, String> runEnv = env;
    int i = 0;
    // The hadoop launcher's own options come before the subcommand.
    while (i + 1 < argv.size() && argv.get(i).startsWith("--")) {
      if (argv.get(i).equals("--config")) {
        runEnv = new HashMap<>(runEnv);
        runEnv.put("HADOOP_CONF_DIR", argv.get(i + 1));
      } else if (!argv.get(i).equals("--loglevel")) { // --loglevel: applied by main before logging starts
        break;
      }
      i += 2;
    }
    if (i >= argv.size()) {
      usage(err);
      return 1;
    }
    String command = argv.get(i);
    List<String> rest = argv.subList(i + 1, argv.size());
    switch (command) {
      case "version":
        return version(out);
      case "fs":
        return fs(rest, runEnv, out, err);
      case "help":
      case "--help":
      case "-help":
      case "-h":
        usage(out);
        return 0;
      default:
        err.println("hadoop: '" + command + "' is not a command of Ferry's bin/hadoop shim,"
            + " which runs 'version' and 'fs' only");
        usage(err);
        return 1;
    }
  }

  private static int version(PrintStream out) {
    out.println("Hadoop " + VersionInfo.getVersion());
    out.println("Source code repository " + VersionInfo.getUrl() + " -r " + VersionInfo.getRevision());
    out.println("Compiled by " + VersionInfo.getUser() + " on " + VersionInfo.getDate());
    out.println("This is Ferry's bin/hadoop shim around the Hadoop client above: 'hadoop fs' runs"
        + " Hadoop's FsShell for hdfs://, webhdfs:// and file://, and Ferry's S3 client for s3://,"
        + " s3a:// and s3n:// (" + String.join(", ", S3FsShell.USAGES.keySet()) + ").");
    return 0;
  }

  private int fs(List<String> argv, Map<String, String> runEnv, PrintStream out, PrintStream err) {
    synchronized (STDIO) {
      PrintStream oldOut = System.out;
      PrintStream oldErr = System.err;
      System.setOut(out);
      System.setErr(err);
      try {
        return fsCommand(argv, runEnv, out, err);
      } finally {
        out.flush();
        err.flush();
        System.setOut(oldOut);
        System.setErr(oldErr);
      }
    }
  }

  private int fsCommand(List<String> argv, Map<String, String> runEnv, PrintStream out,
      PrintStream err) {
    Configuration conf;
    try {
      conf = confLoader.apply(runEnv);
    } catch (RuntimeException e) {
      err.println("fs: cannot read the Hadoop configuration (site files "
          + HadoopConfLoader.siteFiles(runEnv) + "): " + e.getMessage());
      return 1;
    }
    try {
      // ToolRunner applies the generic options (-D, -conf, -fs) before the command runs.
      return ToolRunner.run(conf, new FsRouter(out, err), argv.toArray(String[]::new));
    } catch (Exception e) {
      // FsShell reports command failures itself; this is a failure around it.
      err.println("fs: " + e);
      return 1;
    }
  }

  /** Sends a command to Ferry's S3 shell when it names an S3 URI, else to Hadoop's FsShell. */
  private final class FsRouter extends Configured implements Tool {
    private final PrintStream out;
    private final PrintStream err;

    FsRouter(PrintStream out, PrintStream err) {
      this.out = out;
      this.err = err;
    }

    @Override
    public int run(String[] args) throws Exception {
      Configuration conf = getConf();
      List<String> command = Arrays.stream(args).map(S3Path::undoMesosSlash).toList();
      if (command.size() > 1 && command.subList(1, command.size()).stream().anyMatch(S3Path::isS3)) {
        return new S3FsShell(uri -> s3Stores.open(uri, conf), out, err).run(command);
      }
      FsShell shell = new FsShell();
      try {
        return ToolRunner.run(conf, shell, command.toArray(String[]::new));
      } finally {
        shell.close();
      }
    }
  }

  static ObjectStore openS3Store(URI uri, Configuration conf) throws IOException {
    S3Options options = S3OptionsFromHadoopConf.from(conf, uri.getAuthority());
    return new Stores(options, HttpOptions.DEFAULTS, conf, RetryPolicy.DEFAULT).forUri(uri);
  }

  private static void usage(PrintStream out) {
    out.println("Usage: hadoop [--config confdir] [--loglevel loglevel] COMMAND");
    out.println("  fs <args>   run a file system command; 'hadoop fs -help' lists them");
    out.println("  version     print the Hadoop client version");
    out.println("This is Ferry's bin/hadoop shim for Mesos agents (--hadoop_home): hdfs://,"
        + " webhdfs:// and file:// through Hadoop's FsShell; s3://, s3a:// and s3n:// through"
        + " Ferry's S3 client, configured by the fs.s3a.* keys of core-site.xml.");
  }
}
