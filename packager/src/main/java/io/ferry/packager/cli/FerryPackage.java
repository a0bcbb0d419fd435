package io.ferry.packager.cli;

import io.ferry.packager.FerryVersion;
import io.ferry.packager.store.StoreException;
import io.ferry.packager.store.TransferListener;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;

/**
 * {@code ferry-package}: build, upload and verify Ferry distributions. Exit codes are in
 * {@link ExitCodes}. Errors are one line on stderr naming what failed and what to check; with
 * {@code --debug}, the stack trace follows.
 */
@Command(name = "ferry-package", mixinStandardHelpOptions = true, versionProvider = FerryPackage.Version.class,
    description = "Builds, publishes and verifies Ferry's distribution archive.",
    footerHeading = "%nExit codes:%n",
    footer = {"  0  success", "  1  failure (I/O error, request refused)", "  2  usage: bad flag, URI or scheme",
        "  3  not found: local file, object or its .sha512", "  4  the object exists; pass --overwrite",
        "  5  authentication or permission", "  6  unreachable, or retries exhausted",
        "  7  verification failed (SHA-512 or size)", "  8  no space or quota left"})
public final class FerryPackage implements java.util.concurrent.Callable<Integer> {

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--quiet", description = "No progress output.", scope = CommandLine.ScopeType.INHERIT)
  boolean quiet;

  @Option(names = "--debug", description = "Print stack traces with errors.", scope = CommandLine.ScopeType.INHERIT)
  boolean debug;

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;
  private final boolean terminal;

  FerryPackage(PrintStream out, PrintStream err, Map<String, String> env, boolean terminal) {
    this.out = out;
    this.err = err;
    this.env = env;
    this.terminal = terminal;
  }

  public static void main(String[] args) {
    // picocli otherwise looks up groovy.lang.Closure (for Groovy scripts' annotations) when it first
    // makes an object; the class is not on our class path, and the miss opens and indexes every jar
    // on it, Hadoop's and the AWS SDK's too: about 60 ms of every command's start.
    System.setProperty("picocli.disable.closures", "true");
    System.exit(run(args, System.out, System.err, System.getenv(), ConsoleProgress.isTerminal()));
  }

  /** Runs the CLI and returns its exit code; the streams and environment are the caller's. */
  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, boolean terminal) {
    FerryPackage root = new FerryPackage(out, err, env, terminal);
    String named = commandName(args);
    if ("build".equals(named)) {
      BuildCommand build = new BuildCommand(root);
      if (PlainBuildArgs.read(args, root, build)) {
        try {
          return build.call();
        } catch (Exception e) {
          return root.report(e);
        }
      }
    }
    CommandLine cli = new CommandLine(root);
    // picocli reflects on every subcommand it is given (about 10 ms each in a new JVM): when the
    // arguments name one, only that one is built. The root's usage, which lists them all, is shown
    // only when none is named or the name is wrong, and then all are there.
    if (named == null || named.equals("build")) {
      cli.addSubcommand(new BuildCommand(root));
    }
    if (named == null || named.equals("upload")) {
      cli.addSubcommand(new UploadCommand(root));
    }
    if (named == null || named.equals("verify")) {
      cli.addSubcommand(new VerifyCommand(root));
    }
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> root.report(e));
    return cli.execute(args);
  }

  /**
   * The subcommand the arguments name: the first one that is not an option (the root's options take
   * no value), if it is one of ours; else null.
   */
  static String commandName(String[] args) {
    for (String arg : args) {
      if (!arg.startsWith("-")) {
        return arg.equals("build") || arg.equals("upload") || arg.equals("verify") ? arg : null;
      }
    }
    return null;
  }

  /** Without a subcommand: the usage, as an error. */
  @Override
  public Integer call() {
    err.println("ferry-package: a command is required: build, upload or verify");
    spec.commandLine().usage(err);
    return ExitCodes.USAGE;
  }

  private int report(Exception e) {
    int code;
    String message;
    if (e instanceof StoreException se) {
      code = ExitCodes.of(se);
      message = se.getMessage();
    } else if (e instanceof IllegalArgumentException) {
      code = ExitCodes.USAGE;
      message = e.getMessage();
    } else {
      code = ExitCodes.FAILURE;
      message = e.getMessage() == null ? e.toString() : e.getMessage();
    }
    err.println("ferry-package: " + message);
    if (debug) {
      e.printStackTrace(err);
    }
    return code;
  }

  TransferListener progress(String verb) {
    return quiet ? TransferListener.NONE : new ConsoleProgress(err, terminal, verb);
  }

  PrintStream out() {
    return out;
  }

  Map<String, String> env() {
    return env;
  }

  /** {@code --version}: Ferry's version and the Hadoop client it carries. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"ferry-package " + FerryVersion.version(),
          "Hadoop client " + FerryVersion.hadoopVersion() + ", Java " + System.getProperty("java.version")};
    }
  }
}
