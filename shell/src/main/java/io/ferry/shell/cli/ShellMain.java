package io.ferry.shell.cli;

import io.ferry.driver.FerryConf;
import io.ferry.driver.FerryConfException;
import io.ferry.driver.FerryContext;
import io.ferry.driver.scheduling.TaskScheduler;
import io.ferry.driver.submit.FerrySubmit;
import io.ferry.driver.submit.LaunchSettings;
import io.ferry.driver.submit.SubmitChecks;
import io.ferry.driver.submit.VerboseLogging;
import io.ferry.shell.exec.FerryExecutionControlProvider;
import io.ferry.shell.exec.SnippetGenerations;
import java.io.File;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jshell.tool.JavaShellToolBuilder;
import picocli.CommandLine;

/**
 * {@code bin/ferry-shell}: parses the options, starts the driver (a {@link FerryContext}, before
 * any prompt, so a bad master or configuration fails at once with one line and exit code 2),
 * prints the {@link Banner}, then runs JShell's own tool ({@link JavaShellToolBuilder}: its
 * completion, history, {@code /exit}, Ctrl-D, and a script from a non-terminal stdin) with the
 * distribution's class path plus {@code --jars}, and a start-up snippet that binds {@code ferry}.
 * When JShell returns, {@link ShellClose} closes the context (TEARDOWN) and the JVM exits with
 * JShell's code ({@code /exit N}).
 */
public final class ShellMain {
  /**
   * The JShell execution engine the snippets run in: {@code ferry} (io.ferry.shell.exec) runs
   * them in this JVM as JShell's {@code local} does and publishes their classes to
   * {@link SnippetGenerations#shared()}, which the context serves to the executors.
   */
  static final String EXECUTION = FerryExecutionControlProvider.NAME;

  private ShellMain() {}

  public static void main(String[] argv) {
    System.exit(run(argv, System.err));
  }

  /** Everything up to the exit code; {@link #main} exits with it. */
  static int run(String[] argv, PrintStream err) {
    ShellOptions options = new ShellOptions();
    CommandLine cli = ShellOptions.commandLine(options);
    cli.setErr(new PrintWriter(err, true));
    try {
      cli.parseArgs(argv);
    } catch (CommandLine.ParameterException e) {
      err.println("ferry-shell: " + e.getMessage());
      err.println("Run 'ferry-shell --help' for usage.");
      return 2;
    }
    if (cli.isUsageHelpRequested()) {
      cli.usage(System.out);
      return 0;
    }
    if (cli.isVersionHelpRequested()) {
      cli.printVersionHelp(System.out);
      return 0;
    }
    // before anything logs; a failed job's exception is what JShell prints, without the scheduler's line too
    VerboseLogging.configure(options.verbose, List.of(TaskScheduler.FAILURES_LOGGER));
    List<String> problems = new ArrayList<>();
    options.jars.forEach(j -> SubmitChecks.notAJar(SubmitChecks.localPath(j), "--jars entry").ifPresent(problems::add));
    if (!problems.isEmpty()) {
      problems.forEach(p -> err.println("ferry-shell: " + p));
      return 2;
    }
    SubmitChecks.foreignKeyWarnings("ferry-shell", options.conf).forEach(err::println);
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("ferry.master", options.master);
    flags.put("ferry.executor.uri", options.executorUri);
    flags.put("ferry.app.name", options.name != null ? options.name
        : options.conf.getOrDefault("ferry.app.name", "ferry-shell"));
    List<String> jars = options.jars.stream().map(j -> SubmitChecks.localPath(j).toAbsolutePath().toString()).toList();
    Map<String, String> settings = LaunchSettings.of(options.conf, flags, jars);
    if (!jars.isEmpty()) {
      ShellClassLoader loader = ShellClassLoader.installed().orElse(null);
      if (loader == null) {
        err.println("ferry-shell: --jars needs the JVM started by bin/ferry-shell (-Djava.system.class.loader="
            + ShellClassLoader.class.getName() + "): snippets could not load their classes");
        return 2;
      }
      jars.forEach(j -> loader.add(Path.of(j)));
    }

    FerryConf conf;
    try {
      conf = FerryConf.load(settings); // every configuration problem, listed before anything starts
    } catch (FerryConfException e) {
      err.println("ferry-shell: " + e.getMessage());
      return 2;
    }
    FerryContext context;
    try {
      context = FerryContext.create(conf, SnippetGenerations.shared());
    } catch (Exception | LinkageError e) {
      err.println("ferry-shell: the driver did not start: " + FerrySubmit.oneLine(e));
      if (options.verbose) {
        e.printStackTrace(err);
      }
      return 2;
    }
    try (ShellClose close = new ShellClose(context, err).onShutdown()) {
      ShellSession.bind(context);
      Banner.lines(context).forEach(err::println);
      err.flush();
      return JavaShellToolBuilder.builder().start(
          "--class-path", classPath(jars),
          "--execution", EXECUTION,
          "--startup", "DEFAULT",
          "--startup", StartupSnippet.write().toString());
    } catch (Exception e) {
      err.println("ferry-shell: JShell failed: " + FerrySubmit.oneLine(e));
      if (options.verbose) {
        e.printStackTrace(err);
      }
      return 1;
    }
  }

  /** The distribution's class path (this JVM's: conf/ and the jars lib/classpath/ferry-shell.txt lists) and then the --jars. */
  static String classPath(List<String> jars) {
    List<String> entries = new ArrayList<>(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
    jars.forEach(j -> entries.add(Path.of(j).toAbsolutePath().toString()));
    return String.join(File.pathSeparator, entries);
  }
}
