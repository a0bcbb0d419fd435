package io.ferry.mesos.local;

import io.ferry.mesos.local.agent.LocalAgent;
import io.ferry.mesos.local.agent.StatusUpdateManager;
import io.ferry.mesos.local.fetcher.Fetcher;
import io.ferry.mesos.local.master.LocalMaster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A master and {@code agents} agents in this JVM: Ferry's {@code local-cluster[agents,cpus,memMB]}.
 * Frameworks reach the master at {@link #masterUrl()} over HTTP, exactly as they would reach a real
 * Mesos master; executors are real child processes that reach their agent over HTTP.
 *
 * <pre>{@code
 * try (LocalCluster cluster = LocalCluster.start(LocalCluster.Settings.parse("local-cluster[2,2,1024]", workDir))) {
 *   String master = cluster.masterAddress();   // 127.0.0.1:<port>, for mesos://
 * }
 * }</pre>
 */
public final class LocalCluster implements AutoCloseable {

  private static final Pattern LOCAL_CLUSTER =
      Pattern.compile("^local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+(?:\\.\\d+)?)\\s*,\\s*(\\d+)\\s*]$");

  /**
   * @param agents how many agents
   * @param cpus cpus per agent
   * @param memMb memory per agent, in MB
   * @param workDir where agents keep sandboxes ({@code <workDir>/agent-N})
   * @param containers each agent's fetch limit, {@code switch_user} and CNI networks
   * @param gpuAgents which agents have {@code gpus} resources, and how many
   */
  public record Settings(int agents, double cpus, long memMb, Path workDir, Duration allocationInterval,
      Duration heartbeatInterval, Duration registrationTimeout, Duration shutdownGracePeriod, Duration updateRetry,
      Map<String, String> executorEnvironment, boolean authenticateExecutors, Map<String, String> credentials,
      LocalAgent.ContainerPolicy containers, GpuAgents gpuAgents) {

    public Settings {
      if (agents < 1) {
        throw new IllegalArgumentException("agents: " + agents + " (expected: >= 1)");
      }
      if (cpus <= 0) {
        throw new IllegalArgumentException("cpus: " + cpus + " (expected: > 0)");
      }
      if (memMb < 32) {
        throw new IllegalArgumentException("memMB: " + memMb + " (expected: >= 32)");
      }
      if (gpuAgents.agents() > agents) {
        throw new IllegalArgumentException("gpuAgents: " + gpuAgents.agents() + " agents with GPUs (expected: at most"
            + " the cluster's " + agents + " agents)");
      }
    }

    /** Mesos's defaults for the timings: allocation every 1 s, heartbeats every 15 s, etc. */
    public static Settings of(int agents, double cpus, long memMb, Path workDir) {
      return new Settings(agents, cpus, memMb, workDir, Duration.ofSeconds(1), Duration.ofSeconds(15),
          Duration.ofMinutes(1), Duration.ofSeconds(5), StatusUpdateManager.INITIAL_RETRY, Map.of(), false, Map.of(),
          LocalAgent.ContainerPolicy.DEFAULT, GpuAgents.NONE);
    }

    /** {@code local-cluster[agents,cpus,memMB]}, as a master URL names it. */
    public static Settings parse(String master, Path workDir) {
      Matcher m = LOCAL_CLUSTER.matcher(master.trim().toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw new IllegalArgumentException("master: '" + master
            + "' (expected: local-cluster[agents,cpus,memMB], e.g. local-cluster[2,2,1024])");
      }
      return of(Integer.parseInt(m.group(1)), Double.parseDouble(m.group(2)), Long.parseLong(m.group(3)), workDir);
    }

    public Settings withAllocationInterval(Duration d) {
      return new Settings(agents, cpus, memMb, workDir, d, heartbeatInterval, registrationTimeout, shutdownGracePeriod,
          updateRetry, executorEnvironment, authenticateExecutors, credentials, containers, gpuAgents);
    }

    public Settings withHeartbeatInterval(Duration d) {
      return new Settings(agents, cpus, memMb, workDir, allocationInterval, d, registrationTimeout, shutdownGracePeriod,
          updateRetry, executorEnvironment, authenticateExecutors, credentials, containers, gpuAgents);
    }

    public Settings withRegistrationTimeout(Duration d) {
      return new Settings(agents, cpus, memMb, workDir, allocationInterval, heartbeatInterval, d, shutdownGracePeriod,
          updateRetry, executorEnvironment, authenticateExecutors, credentials, containers, gpuAgents);
    }

    public Settings withShutdownGracePeriod(Duration d) {
      return new Settings(agents, cpus, memMb, workDir, allocationInterval, heartbeatInterval, registrationTimeout, d,
          updateRetry, executorEnvironment, authenticateExecutors, credentials, containers, gpuAgents);
    }

    /** The first retry of an unacknowledged status update (Mesos: 10 s, doubling to 10 min). */
    public Settings withUpdateRetry(Duration d) {
      return new Settings(agents, cpus, memMb, workDir, allocationInterval, heartbeatInterval, registrationTimeout,
          shutdownGracePeriod, d, executorEnvironment, authenticateExecutors, credentials, containers, gpuAgents);
    }

    /** Agents issue JWTs to executors and require them ({@code --authenticate_http_executors}). */
    public Settings withExecutorAuthentication(boolean on) {
      return new Settings(agents, cpus, memMb, workDir, allocationInterval, heartbeatInterval, registrationTimeout,
          shutdownGracePeriod, updateRetry, executorEnvironment, on, credentials, containers, gpuAgents);
    }

    /** Schedulers must authenticate with HTTP Basic as one of these principals (secrets never printed). */
    public Settings withFrameworkCredentials(Map<String, String> principalToSecret) {
      return new Settings(agents, cpus, memMb, workDir, allocationInterval, heartbeatInterval, registrationTimeout,
          shutdownGracePeriod, updateRetry, executorEnvironment, authenticateExecutors, Map.copyOf(principalToSecret),
          containers, gpuAgents);
    }

    @Override
    public String toString() {
      return "Settings[agents=" + agents + ", cpus=" + cpus + ", memMb=" + memMb + ", workDir=" + workDir
          + ", allocationInterval=" + allocationInterval + ", heartbeatInterval=" + heartbeatInterval
          + ", authenticateExecutors=" + authenticateExecutors + ", credentials=" + credentials.keySet()
          + ", containers=" + containers + ", gpuAgents=" + gpuAgents + "]";
    }

    /**
     * The most one fetch may write into a sandbox, in bytes; 0 (the default) for the agent's disk
     * resource ({@code disk:10240} here, 10 GiB).
     */
    public Settings withFetchLimit(long bytes) {
      return withContainers(new LocalAgent.ContainerPolicy(bytes, containers.switchUser(), containers.docker(),
          containers.cniNetworks()));
    }

    /** Mesos's {@code --switch_user} (default on; it only acts when the agents run as root). */
    public Settings withSwitchUser(boolean on) {
      return withContainers(new LocalAgent.ContainerPolicy(containers.fetchLimitBytes(), on, containers.docker(),
          containers.cniNetworks()));
    }

    /** The Docker CLI and daemon agents run image containers with (default: {@code docker} on PATH, its default daemon). */
    public Settings withDocker(io.ferry.mesos.local.agent.DockerCli docker) {
      return withContainers(new LocalAgent.ContainerPolicy(containers.fetchLimitBytes(), containers.switchUser(), docker,
          containers.cniNetworks()));
    }

    private Settings withContainers(LocalAgent.ContainerPolicy policy) {
      return new Settings(agents, cpus, memMb, workDir, allocationInterval, heartbeatInterval, registrationTimeout,
          shutdownGracePeriod, updateRetry, executorEnvironment, authenticateExecutors, credentials, policy, gpuAgents);
    }

    /**
     * The first {@code agentsWithGpus} agents ({@code agent-0}, ...) have {@code gpusEach} GPUs: the
     * scalar resource {@code gpus}, which the master offers only to frameworks with the
     * {@code GPU_RESOURCES} capability, as Mesos does. No device is involved.
     */
    public Settings withGpus(int agentsWithGpus, int gpusEach) {
      return new Settings(agents, cpus, memMb, workDir, allocationInterval, heartbeatInterval, registrationTimeout,
          shutdownGracePeriod, updateRetry, executorEnvironment, authenticateExecutors, credentials, containers,
          new GpuAgents(agentsWithGpus, gpusEach));
    }

    /**
     * The CNI networks every agent knows (Mesos's {@code --network_cni_config_dir}); none by default. An
     * executor whose {@code ContainerInfo} joins another network fails to launch, as with Mesos.
     */
    public Settings withCniNetworks(java.util.Set<String> names) {
      return withContainers(containers.withCniNetworks(names));
    }

    public Settings withExecutorEnvironment(Map<String, String> env) {
      return new Settings(agents, cpus, memMb, workDir, allocationInterval, heartbeatInterval, registrationTimeout,
          shutdownGracePeriod, updateRetry, Map.copyOf(env), authenticateExecutors, credentials, containers, gpuAgents);
    }
  }

  /**
   * Which agents have GPUs: the first {@code agents} of the cluster, {@code gpusEach} each.
   */
  public record GpuAgents(int agents, int gpusEach) {
    public static final GpuAgents NONE = new GpuAgents(0, 0);

    public GpuAgents {
      if (agents < 0 || gpusEach < 0 || (agents > 0) != (gpusEach > 0)) {
        throw new IllegalArgumentException("gpus: " + agents + " agents with " + gpusEach + " each (expected: both 0,"
            + " or both > 0)");
      }
    }

    /** {@code ;gpus:N} for agent {@code index}, or nothing. */
    String resource(int index) {
      return index < agents ? ";gpus:" + gpusEach : "";
    }
  }

  private final List<LocalMaster> masters;
  private volatile LocalMaster master;
  private final List<LocalAgent> agents;
  private final Fetcher fetcher;

  private LocalCluster(List<LocalMaster> masters, LocalMaster leader, List<LocalAgent> agents, Fetcher fetcher) {
    this.masters = masters;
    this.master = leader;
    this.agents = agents;
    this.fetcher = fetcher;
  }

  public static LocalCluster start(Settings settings) throws Exception {
    Files.createDirectories(settings.workDir());
    Fetcher fetcher = Fetcher.builder().build();
    LocalMaster master = LocalMaster.start(new LocalMaster.Settings(0, settings.heartbeatInterval(),
        settings.allocationInterval(), java.util.Optional.empty(), true, settings.credentials()));
    List<LocalAgent> agents = new ArrayList<>();
    try {
      startAgents(settings, fetcher, master, agents);
    } catch (Exception e) {
      agents.forEach(LocalAgent::close);
      master.close();
      fetcher.close();
      throw e;
    }
    return new LocalCluster(List.of(master), master, List.copyOf(agents), fetcher);
  }

  /**
   * {@code masters} masters that elect a leader through ZooKeeper at {@code zk} (as Mesos masters
   * do), and the agents, which follow whichever master leads. Frameworks find the leader in
   * ZooKeeper, or are sent there by a 307 from any other master.
   */
  public static LocalCluster startWithZooKeeper(Settings settings, int masters, LocalMaster.Zk zk) throws Exception {
    Files.createDirectories(settings.workDir());
    Fetcher fetcher = Fetcher.builder().build();
    List<LocalAgent> agents = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<LocalMaster> started = new ArrayList<>();
    LocalCluster[] cluster = new LocalCluster[1];
    try {
      for (int i = 0; i < masters; i++) {
        started.add(LocalMaster.start(new LocalMaster.Settings(0, settings.heartbeatInterval(), settings.allocationInterval(),
            java.util.Optional.empty(), true, settings.credentials()), zk, leader -> {
              if (cluster[0] != null) {
                cluster[0].master = leader;
              }
              agents.forEach(agent -> agent.followLeader(leader));
            }));
      }
      LocalMaster leader = awaitLeader(started);
      startAgents(settings, fetcher, leader, agents);
      cluster[0] = new LocalCluster(List.copyOf(started), leader, agents, fetcher);
      return cluster[0];
    } catch (Exception e) {
      agents.forEach(LocalAgent::close);
      started.forEach(LocalMaster::close);
      fetcher.close();
      throw e;
    }
  }

  /** Starts {@code settings.agents()} agents, registered with {@code master}, adding each to {@code agents}. */
  private static void startAgents(Settings settings, Fetcher fetcher, LocalMaster master, List<LocalAgent> agents)
      throws Exception {
    String resources = String.format(Locale.ROOT, "cpus:%s;mem:%d;disk:10240;ports:[31000-32000]",
        settings.cpus(), settings.memMb());
    for (int i = 0; i < settings.agents(); i++) {
      agents.add(LocalAgent.start("agent-" + i, new LocalAgent.Settings(resources + settings.gpuAgents().resource(i),
          settings.workDir().resolve("agent-" + i),
          settings.registrationTimeout(), settings.shutdownGracePeriod(), settings.updateRetry(),
          settings.executorEnvironment(), settings.authenticateExecutors(), settings.containers()), fetcher, master));
    }
  }

  private static LocalMaster awaitLeader(List<LocalMaster> masters) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() - deadline < 0) {
      for (LocalMaster m : masters) {
        if (m.leading()) {
          return m;
        }
      }
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
    }
    throw new IllegalStateException("no master was elected within 30 s; check ZooKeeper");
  }

  /** Every master, leader or not. */
  public List<LocalMaster> masters() {
    return masters;
  }

  /** Fault injection: master {@code index} stops (its ZooKeeper node goes; another takes the lead). */
  public void killMaster(int index) {
    masters.get(index).close();
  }

  /** {@code 127.0.0.1:port}: the master, as {@code mesos://127.0.0.1:port} names it. */
  public String masterAddress() {
    return master.address();
  }

  /** {@code http://127.0.0.1:port}. */
  public String masterUrl() {
    return "http://" + master.address();
  }

  public LocalMaster master() {
    return master;
  }

  public List<LocalAgent> agents() {
    return agents;
  }

  /** Stops agents first (every executor process is killed), then the masters. */
  @Override
  public void close() {
    for (LocalAgent agent : agents) {
      agent.close();
    }
    for (LocalMaster m : masters) {
      m.close();
    }
    fetcher.close();
  }
}
