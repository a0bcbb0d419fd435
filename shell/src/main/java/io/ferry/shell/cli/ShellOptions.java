package io.ferry.shell.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/ferry-shell}'s command line, parsed in one place (picocli, as {@code ferry-submit}'s):
 * a bad option is an error naming it, before anything starts. The flags map onto the same
 * {@code ferry.*} keys as {@code ferry-submit}'s and sit above system properties,
 * {@code conf/ferry-defaults.conf} and {@code FERRY_EXECUTOR_URI}.
 */
@Command(
    name = "ferry-shell",
    mixinStandardHelpOptions = true,
    versionProvider = ShellOptions.Version.class,
    sortOptions = false,
    description = {
      "Java's own REPL (JShell) with a ready FerryContext bound to the variable 'ferry':",
      "code typed here can run as tasks on the Mesos executors.",
      "",
      "The shell is JShell's: tab completion, history, /help, /exit (or Ctrl-D). Closing the shell",
      "(/exit, Ctrl-D, SIGTERM) closes the context: its executors are torn down.",
      "Input that is not a terminal is read as a script: printf '...' | ferry-shell --master URL.",
      "",
      "Exit codes: what /exit N asks (0 without N), 2 bad usage or configuration, or the driver",
      "could not start (unreachable master or ZooKeeper: one line says why).",
    })
final class ShellOptions {
  @Option(names = "--master", paramLabel = "URL",
      description = "mesos://host:5050, mesos://zk://h1:2181,h2:2181/mesos, local[N] or local-cluster[agents,cpus,memMB]"
          + " (ferry.master; default: conf/ferry-defaults.conf or FERRY_MASTER)")
  String master;

  @Option(names = "--conf", paramLabel = "KEY=VALUE",
      description = "any ferry.* setting; repeatable (other keys are ignored with a warning)")
  Map<String, String> conf = new LinkedHashMap<>();

  @Option(names = "--jars", paramLabel = "JAR[,JAR...]", split = ",",
      description = "jars for the shell's class path and the executors' (ferry.jars)")
  List<String> jars = new ArrayList<>();

  @Option(names = "--executor-uri", paramLabel = "URI",
      description = "where agents fetch the Ferry archive (ferry.executor.uri; default: FERRY_EXECUTOR_URI)")
  String executorUri;

  @Option(names = "--name", paramLabel = "NAME", description = "the framework's name in Mesos (ferry.app.name;"
      + " default: ferry-shell)")
  String name;

  @Option(names = "--verbose", description = "Ferry's INFO and DEBUG lines and other libraries' logs (ZooKeeper,"
      + " Curator), and stack traces of start-up failures; without it Ferry prints warnings and errors only")
  boolean verbose;

  /** A {@link CommandLine} over fresh options, printing its help and errors as {@code ferry-shell}'s. */
  static CommandLine commandLine(ShellOptions options) {
    return new CommandLine(options);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = ShellOptions.class.getPackage().getImplementationVersion();
      return new String[] {"ferry-shell " + (v == null ? "(development build)" : v)};
    }
  }
}
