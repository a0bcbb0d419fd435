package io.ferry.mesos.local.cli;

import io.ferry.mesos.local.LocalCluster;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/ferry-mesos-local}: starts a master and agents in this JVM, prints the master's URL
 * and its web UI's,
 * and runs until interrupted, so that any framework (Ferry's driver, {@code curl}) can use it.
 * On exit every executor process is killed.
 */
@Command(name = "ferry-mesos-local", mixinStandardHelpOptions = true,
    description = {"Runs an in-process Mesos-compatible master and agents (an emulator for development and tests,",
        "not a production cluster manager) and prints the master's URL. Stop it with Ctrl-C."})
public final class MesosLocalMain implements Callable<Integer> {

  @Option(names = "--agents", defaultValue = "1", description = "Number of agents (default: ${DEFAULT-VALUE}).")
  int agents;

  @Option(names = "--cpus", defaultValue = "2", description = "cpus per agent (default: ${DEFAULT-VALUE}).")
  double cpus;

  @Option(names = "--mem", defaultValue = "1024", paramLabel = "MB", description = "Memory per agent in MB (default: ${DEFAULT-VALUE}).")
  long memMb;

  @Option(names = "--work-dir", paramLabel = "DIR", description = "Where agents keep sandboxes (default: a new temporary directory).")
  Path workDir;

  @Option(names = "--allocation-interval", paramLabel = "MS", defaultValue = "1000",
      description = "Allocation batch interval in milliseconds (Mesos: 1000).")
  long allocationMillis;

  @Option(names = "--heartbeat-interval", paramLabel = "SECONDS", defaultValue = "15",
      description = "Scheduler stream heartbeat interval in seconds (Mesos: 15).")
  long heartbeatSeconds;

  @Option(names = "--fetch-limit", paramLabel = "MB", defaultValue = "0",
      description = "The most one fetch may write into a sandbox, in MB (default: the agent's disk resource).")
  long fetchLimitMb;

  @Option(names = "--switch-user", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = {"Run as root: fetch and run each task as its user (FrameworkInfo.user or CommandInfo.user),",
          "as Mesos's --switch_user (default: on). Without root, tasks run as this process's user."})
  boolean switchUser;

  private final PrintStream out;
  private final CountDownLatch stop;

  MesosLocalMain(PrintStream out, CountDownLatch stop) {
    this.out = out;
    this.stop = stop;
  }

  public static void main(String[] args) {
    CountDownLatch stop = new CountDownLatch(1);
    System.exit(new CommandLine(new MesosLocalMain(System.out, stop)).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path dir = workDir != null ? workDir : Files.createTempDirectory("ferry-mesos-local-");
    LocalCluster.Settings settings = LocalCluster.Settings.of(agents, cpus, memMb, dir)
        .withAllocationInterval(Duration.ofMillis(allocationMillis)).withHeartbeatInterval(Duration.ofSeconds(heartbeatSeconds))
        .withFetchLimit(Math.multiplyExact(fetchLimitMb, 1024L * 1024)).withSwitchUser(switchUser);
    LocalCluster cluster = LocalCluster.start(settings);
    Thread hook = new Thread(() -> {
      cluster.close();
      stop.countDown();
    }, "ferry-mesos-local-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println("mesos://" + cluster.masterAddress());
    out.println("master: " + cluster.masterUrl() + "/api/v1/scheduler  state: " + cluster.masterUrl() + "/state");
    out.println("web UI: " + cluster.masterUrl() + "/");
    out.println("agents: " + agents + " x (cpus " + cpus + ", mem " + memMb + " MB); sandboxes in " + dir);
    boolean switching = switchUser && io.ferry.mesos.local.user.UnixAccount.runningAsRoot();
    out.println("containers: fetch limit " + (fetchLimitMb > 0 ? fetchLimitMb + " MB" : "the agent's disk resource")
        + "; tasks run as " + (switching ? "their user (FrameworkInfo.user or CommandInfo.user)"
            : "user " + io.ferry.mesos.local.user.UnixAccount.current().name()));
    out.flush();
    stop.await();
    return 0;
  }
}
