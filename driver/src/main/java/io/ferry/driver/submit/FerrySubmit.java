package io.ferry.driver.submit;

import io.ferry.driver.FerryConf;
import io.ferry.driver.FerryConfException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/ferry-submit}: runs an application's main class in client mode, the way
 * {@code spark-submit} does. Flags become {@code ferry.*} system properties (so they win over
 * {@code conf/ferry-defaults.conf} and the environment, and {@code FerryContext.create} in the
 * application sees them); the application jar joins {@code ferry.jars} so executors load it.
 */
@Command(
    name = "ferry-submit",
    mixinStandardHelpOptions = true,
    versionProvider = FerrySubmit.Version.class,
    sortOptions = false,
    description = {
      "Runs MAIN from APP.jar with a Ferry driver in this process (client mode).",
      "",
      "Exit codes: 0 the application finished, 1 it failed (one line on stderr says why),",
      "2 bad usage or configuration (every problem listed).",
    })
public final class FerrySubmit implements Callable<Integer> {
  @Option(names = "--master", paramLabel = "URL",
      description = "mesos://host:5050, mesos://zk://h1:2181,h2:2181/mesos, local[N] or local-cluster[agents,cpus,memMB]")
  String master;

  @Option(names = "--class", paramLabel = "MAIN", required = true, description = "the application's main class")
  String mainClass;

  @Option(names = "--executor-uri", paramLabel = "URI", description = "where agents fetch the Ferry archive (ferry.executor.uri)")
  String executorUri;

  @Option(names = "--name", paramLabel = "NAME", description = "the application's name in Mesos (ferry.app.name)")
  String name;

  @Option(names = "--jars", paramLabel = "JAR[,JAR...]", split = ",", description = "more jars for executors (ferry.jars)")
  List<String> jars = new ArrayList<>();

  @Option(names = "--conf", paramLabel = "KEY=VALUE",
      description = "any ferry.* setting; repeatable (other keys are ignored with a warning)")
  Map<String, String> conf = new LinkedHashMap<>();

  @Option(names = "--verbose", description = "print stack traces of failures, Ferry's INFO and DEBUG lines (each step,"
      + " each retry) and other libraries' logs (ZooKeeper, Curator: off without it); without it Ferry prints"
      + " warnings and errors only")
  boolean verbose;

  @Option(names = "--progress", paramLabel = "auto|always|never",
      description = "the tasks' progress on stderr (ferry.ui.progress): auto (default) redraws one line in place"
          + " on a terminal and prints plain lines otherwise (piped, CI, TERM=dumb); always redraws; never shows none")
  String progress;

  @Parameters(index = "0", paramLabel = "APP.jar", description = "the application jar")
  Path appJar;

  @Parameters(index = "1..*", paramLabel = "ARGS", description = "arguments for MAIN")
  List<String> args = new ArrayList<>();

  private final PrintStream err;

  FerrySubmit(PrintStream err) {
    this.err = err;
  }

  public static void main(String[] argv) {
    int code = run(argv, System.err);
    System.exit(code);
  }

  /** Parses, runs and returns the exit code (for tests; {@link #main} exits with it). */
  public static int run(String[] argv, PrintStream err) {
    CommandLine cli = new CommandLine(new FerrySubmit(err));
    cli.setErr(new java.io.PrintWriter(err, true));
    cli.setParameterExceptionHandler((ex, a) -> {
      err.println("ferry-submit: " + ex.getMessage());
      err.println("Run 'ferry-submit --help' for usage.");
      return 2;
    });
    return cli.execute(argv);
  }

  @Override
  public Integer call() throws Exception {
    VerboseLogging.configure(verbose); // before anything logs
    List<String> jarProblems = new ArrayList<>();
    SubmitChecks.notAJar(appJar, "application jar").ifPresent(jarProblems::add);
    jars.forEach(j -> SubmitChecks.notAJar(SubmitChecks.localPath(j), "--jars entry").ifPresent(jarProblems::add));
    if (!jarProblems.isEmpty()) {
      jarProblems.forEach(p -> err.println("ferry-submit: " + p));
      return 2;
    }
    SubmitChecks.foreignKeyWarnings("ferry-submit", conf).forEach(err::println);
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("ferry.master", master);
    flags.put("ferry.executor.uri", executorUri);
    flags.put("ferry.ui.progress", progress);
    flags.put("ferry.app.name", name != null ? name : conf.getOrDefault("ferry.app.name",
        mainClass.substring(mainClass.lastIndexOf('.') + 1)));
    List<String> launcherJars = new ArrayList<>(jars);
    launcherJars.add(appJar.toAbsolutePath().toString());
    Map<String, String> settings = LaunchSettings.of(conf, flags, launcherJars);
    List<String> allJars = List.of(settings.get("ferry.jars").split(","));
    settings.forEach(System::setProperty);

    FerryConf conf;
    try {
      conf = FerryConf.load(Map.of()); // every configuration problem, listed before the application starts
    } catch (FerryConfException e) {
      err.println("ferry-submit: " + e.getMessage());
      return 2;
    }

    List<URL> urls = new ArrayList<>();
    for (String j : allJars) {
      urls.add(Path.of(j).toAbsolutePath().toUri().toURL());
    }
    URLClassLoader loader = new URLClassLoader("ferry-app", urls.toArray(URL[]::new), FerrySubmit.class.getClassLoader());
    Method main;
    try {
      main = Class.forName(mainClass, true, loader).getMethod("main", String[].class);
      if (!Modifier.isStatic(main.getModifiers())) {
        throw new NoSuchMethodException("main is not static");
      }
    } catch (ClassNotFoundException e) {
      err.println("ferry-submit: class " + mainClass + " is not in " + appJar + " or the --jars");
      return 2;
    } catch (NoSuchMethodException e) {
      err.println("ferry-submit: " + mainClass + " has no 'public static void main(String[])'");
      return 2;
    }
    Thread.currentThread().setContextClassLoader(loader);
    Throwable failure = null;
    SubmitConsole console = new SubmitConsole(conf.uiProgress(), TerminalFacts.detect(stringProperties(), System.getenv(),
        System.console() != null), err, System.out, System::nanoTime);
    console.install();
    try {
      main.invoke(null, (Object) args.toArray(String[]::new));
    } catch (InvocationTargetException e) {
      failure = e.getCause();
    } finally {
      console.close(); // the final progress line before the verdict
    }
    if (failure == null) {
      return 0;
    }
    err.println("ferry-submit: " + mainClass + " failed: " + oneLine(failure));
    if (verbose) {
      failure.printStackTrace(err);
    } else {
      err.println("(run with --verbose for the stack trace)");
    }
    return 1;
  }

  private static Map<String, String> stringProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    System.getProperties().forEach((k, v) -> properties.put(String.valueOf(k), String.valueOf(v)));
    return properties;
  }

  /** The most specific message in the chain: usually the one that says what to check (ferry-shell's too). */
  public static String oneLine(Throwable t) {
    Throwable deepest = t;
    String message = t.toString();
    while (deepest != null) {
      if (deepest.getMessage() != null && !deepest.getMessage().isBlank()) {
        message = deepest.getMessage();
      }
      deepest = deepest.getCause() == deepest ? null : deepest.getCause();
    }
    return message.replace('\n', ' ');
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = FerrySubmit.class.getPackage().getImplementationVersion();
      return new String[] {"ferry-submit " + (v == null ? "(development build)" : v)};
    }
  }
}
