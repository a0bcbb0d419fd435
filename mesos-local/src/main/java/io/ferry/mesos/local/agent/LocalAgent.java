package io.ferry.mesos.local.agent;

import com.google.protobuf.ByteString;
import io.ferry.mesos.local.ThreadTimers;
import io.ferry.mesos.local.fetcher.Fetcher;
import io.ferry.mesos.local.fetcher.SandboxLayout;
import io.ferry.mesos.local.files.FilesEndpoint;
import io.ferry.mesos.local.files.SandboxFiles;
import io.ferry.mesos.local.http.ApiHttpInitializer;
import io.ferry.mesos.local.http.LocalHttpServer;
import io.ferry.mesos.local.master.AgentLink;
import io.ferry.mesos.local.master.LocalMaster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * A running mesos-local agent: {@code /api/v1/executor} and the sandbox files ({@code /files/*}) on
 * a loopback port, its own thread, real executor processes in sandboxes under its work directory,
 * registered with a {@link LocalMaster}.
 */
public final class LocalAgent implements AutoCloseable {

  /**
   * @param resources the agent's total, in Mesos's {@code --resources} form; without {@code disk},
   *     the agent adds Mesos's default (the work directory's file system less 5 GB, or half of it
   *     when smaller than 10 GB), which offers and {@code /state} then show
   * @param workDir the agent's {@code --work_dir}
   * @param containers the fetch limit and {@code switch_user}
   */
  public record Settings(String resources, Path workDir, Duration registrationTimeout, Duration shutdownGracePeriod,
      Duration updateRetry, Map<String, String> executorEnvironment, boolean authenticateExecutors,
      ContainerPolicy containers) {

    /** With {@link ContainerPolicy#DEFAULT}. */
    public Settings(String resources, Path workDir, Duration registrationTimeout, Duration shutdownGracePeriod,
        Duration updateRetry, Map<String, String> executorEnvironment, boolean authenticateExecutors) {
      this(resources, workDir, registrationTimeout, shutdownGracePeriod, updateRetry, executorEnvironment,
          authenticateExecutors, ContainerPolicy.DEFAULT);
    }
  }

  /**
   * How an agent confines what its containers do to the machine.
   *
   * @param fetchLimitBytes the most one fetch (all URIs of a launch, downloads plus what archives
   *     unpack to) may write into a sandbox; 0 for the agent's disk resource
   * @param switchUser Mesos's {@code --switch_user} (default on): an agent running as root fetches
   *     and runs each container as its user ({@code CommandInfo.user}, else
   *     {@code FrameworkInfo.user}); off, or on a non-root agent, containers run as the agent's user
   * @param docker the Docker CLI and daemon that run containers whose ExecutorInfo names an image
   * @param cniNetworks the CNI networks the agent knows (Mesos's {@code --network_cni_config_dir}); a
   *     container that joins another one fails to launch ({@link CniNetworks})
   */
  public record ContainerPolicy(long fetchLimitBytes, boolean switchUser, DockerCli docker,
      java.util.Set<String> cniNetworks) {

    public static final ContainerPolicy DEFAULT = new ContainerPolicy(0, true);

    /** With {@link DockerCli#DEFAULT} and no CNI network. */
    public ContainerPolicy(long fetchLimitBytes, boolean switchUser) {
      this(fetchLimitBytes, switchUser, DockerCli.DEFAULT, java.util.Set.of());
    }

    /** The same policy, knowing these CNI networks. */
    public ContainerPolicy withCniNetworks(java.util.Set<String> names) {
      return new ContainerPolicy(fetchLimitBytes, switchUser, docker, names);
    }

    public ContainerPolicy {
      cniNetworks = java.util.Set.copyOf(cniNetworks);
      if (fetchLimitBytes < 0) {
        throw new IllegalArgumentException("fetchLimitBytes: " + fetchLimitBytes + " (expected: >= 0, 0 for the disk"
            + " resource)");
      }
    }

    /** The limit for an agent whose disk resource is {@code diskMb}. */
    public io.ferry.mesos.local.fetcher.FetchLimit fetchLimit(double diskMb) {
      return fetchLimitBytes > 0 ? io.ferry.mesos.local.fetcher.FetchLimit.configured(fetchLimitBytes)
          : io.ferry.mesos.local.fetcher.FetchLimit.ofDiskResource(diskMb);
    }
  }

  private final String name;
  private final ThreadTimers thread;
  private final ExecutorService launchPool;
  private final SandboxFiles files;
  private final ExecutorService filesPool;
  private final FilesEndpoint filesEndpoint;
  private volatile LocalHttpServer server;
  private final AgentCore core;
  private final CompletableFuture<String> agentId;
  private final AtomicReference<LocalMaster> masterRef;
  private final AgentInfo info;
  private final int port;
  private final AgentEndpoints endpoints;

  private LocalAgent(String name, ThreadTimers thread, ExecutorService launchPool, SandboxFiles files,
      ExecutorService filesPool, FilesEndpoint filesEndpoint, LocalHttpServer server, AgentCore core,
      CompletableFuture<String> agentId, AtomicReference<LocalMaster> masterRef, AgentInfo info,
      AgentEndpoints endpoints) {
    this.endpoints = endpoints;
    this.name = name;
    this.thread = thread;
    this.launchPool = launchPool;
    this.files = files;
    this.filesPool = filesPool;
    this.filesEndpoint = filesEndpoint;
    this.server = server;
    this.core = core;
    this.agentId = agentId;
    this.masterRef = masterRef;
    this.info = info;
    this.port = server.port();
  }

  /** Starts the agent and registers it; the returned agent is registered. */
  public static LocalAgent start(String name, Settings settings, Fetcher fetcher, LocalMaster master) throws Exception {
    ThreadTimers thread = new ThreadTimers("ferry-" + name);
    AtomicInteger launches = new AtomicInteger();
    ExecutorService launchPool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "ferry-" + name + "-launch-" + launches.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    // The files endpoints' file system work: a small pool, so that reading a sandbox never waits
    // on the agent's thread nor holds an event loop. Each read is at most SandboxReader.MAX_READ.
    AtomicInteger filesThreads = new AtomicInteger();
    ExecutorService filesPool = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "ferry-" + name + "-files-" + filesThreads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    SandboxFiles files = new SandboxFiles();
    FilesEndpoint filesEndpoint = new FilesEndpoint(files, filesPool);
    AtomicReference<String> id = new AtomicReference<>();
    AtomicReference<Integer> port = new AtomicReference<>();
    AtomicReference<LocalMaster> masterRef = new AtomicReference<>(master);
    StatusUpdateManager updates = new StatusUpdateManager(thread, (fw, s) -> masterRef.get().statusUpdate(fw, s),
        settings.updateRetry(),
        StatusUpdateManager.MAX_RETRY.compareTo(settings.updateRetry()) < 0 ? settings.updateRetry() : StatusUpdateManager.MAX_RETRY);
    String resources = AgentDisk.withDisk(settings.resources(), settings.workDir());
    double diskMb = io.ferry.mesos.local.master.Resources.parse(resources).scalar("disk");
    SandboxLayout layout = new SandboxLayout(settings.workDir());
    ContainerLauncher launcher = new ContainerLauncher(layout, fetcher,
        () -> new ExecutorEnvironment.AgentSide("127.0.0.1", port.get(), id.get(), true, Duration.ofMinutes(15),
            Duration.ofSeconds(2), settings.executorEnvironment()), settings.shutdownGracePeriod(),
        settings.containers().fetchLimit(diskMb), settings.containers().switchUser(), settings.workDir(),
        settings.containers().docker(), files::attachSandbox, new CniNetworks(settings.containers().cniNetworks()));
    AgentCore core = new AgentCore(new AgentCore.Settings(settings.registrationTimeout(), settings.shutdownGracePeriod(),
        commandExecutorCommand()),
        thread, thread, launchPool, launcher, new AgentCore.MasterLink() {
          @Override
          public void statusUpdate(String frameworkId, TaskStatus status) {
            masterRef.get().statusUpdate(frameworkId, status);
          }

          @Override
          public void executorExited(String frameworkId, ExecutorID executorId, Optional<Integer> waitStatus) {
            masterRef.get().executorExited(frameworkId, id.get(), executorId, waitStatus);
          }

          @Override
          public void executorMessage(String frameworkId, ExecutorID executorId, ByteString data) {
            masterRef.get().executorMessage(frameworkId, id.get(), executorId, data);
          }
        }, updates, settings.authenticateExecutors() ? Optional.of(ExecutorTokens.random()) : Optional.empty());
    AgentEndpoints endpoints = new AgentEndpoints(core, thread, layout, port::get,
        flags(settings, resources, master));
    LocalHttpServer server;
    try {
      server = LocalHttpServer.start("ferry-" + name + "-io", 0, api(core, thread, endpoints, filesEndpoint));
    } catch (InterruptedException | RuntimeException e) {
      thread.close();
      launchPool.shutdownNow();
      filesPool.shutdownNow();
      throw e;
    }
    port.set(server.port());
    AgentInfo info = AgentInfo.newBuilder().setHostname("127.0.0.1").setPort(server.port())
        .addAllResources(io.ferry.mesos.local.master.ResourcesText.protos(resources)).build();
    CompletableFuture<String> agentId = master.registerAgent(info, link(core, thread)).thenApply(assigned -> {
      id.set(assigned);
      thread.execute(() -> core.registered(info.toBuilder().setId(AgentID.newBuilder().setValue(assigned)).build()));
      return assigned;
    });
    agentId.get(10, TimeUnit.SECONDS);
    return new LocalAgent(name, thread, launchPool, files, filesPool, filesEndpoint, server, core, agentId, masterRef,
        info, endpoints);
  }

  /**
   * The agent's {@code flags} in {@code /slave(1)/state}: Mesos's names for what mesos-local
   * really uses, durations as Mesos prints them.
   */
  private static Map<String, String> flags(Settings settings, String resources, LocalMaster master) {
    Map<String, String> flags = new java.util.TreeMap<>();
    flags.put("work_dir", settings.workDir().toString());
    flags.put("resources", resources);
    flags.put("hostname", "127.0.0.1");
    flags.put("ip", "127.0.0.1");
    flags.put("master", master.address());
    flags.put("executor_registration_timeout", io.ferry.mesos.MesosDurations.format(settings.registrationTimeout()));
    flags.put("executor_shutdown_grace_period", io.ferry.mesos.MesosDurations.format(settings.shutdownGracePeriod()));
    flags.put("switch_user", Boolean.toString(settings.containers().switchUser()));
    flags.put("authenticate_http_executors", Boolean.toString(settings.authenticateExecutors()));
    flags.put("containerizers", "mesos");
    return Map.copyOf(flags);
  }

  /** This JVM's java and class path, running the built-in command executor. */
  static String commandExecutorCommand() {
    return CommandExecutorStage.command(System.getProperty("java.class.path"));
  }

  /** SUBSCRIBE carries every unacknowledged task and update: generous, but bounded. */
  static final int MAX_REQUEST_BYTES = 64 * 1024 * 1024;

  private static ApiHttpInitializer api(AgentCore core, ThreadTimers thread, AgentEndpoints endpoints,
      FilesEndpoint files) {
    return new ApiHttpInitializer(MAX_REQUEST_BYTES, () -> new ExecutorApiHandler(core, thread, core, endpoints, files));
  }

  /** The master's requests, handed to the agent's thread. */
  private static AgentLink link(AgentCore core, ThreadTimers thread) {
    return new AgentLink() {
      @Override
      public void launch(FrameworkInfo framework, TaskInfo task) {
        thread.execute(() -> core.launch(framework, task));
      }

      @Override
      public void kill(String frameworkId, TaskID taskId, KillPolicy killPolicy) {
        thread.execute(() -> core.kill(frameworkId, taskId, killPolicy));
      }

      @Override
      public void shutdownExecutor(String frameworkId, ExecutorID executorId) {
        thread.execute(() -> core.shutdownExecutor(frameworkId, executorId));
      }

      @Override
      public void shutdownFramework(String frameworkId) {
        thread.execute(() -> core.shutdownFramework(frameworkId));
      }

      @Override
      public void acknowledge(String frameworkId, TaskID taskId, ByteString uuid) {
        thread.execute(() -> core.acknowledge(frameworkId, taskId, uuid));
      }

      @Override
      public void message(String frameworkId, ExecutorID executorId, ByteString data) {
        thread.execute(() -> core.message(frameworkId, executorId, data));
      }
    };
  }

  public String name() {
    return name;
  }

  public String id() {
    return agentId.join();
  }

  public int port() {
    return server.port();
  }

  /**
   * Fault injection: the agent process dies and restarts on the same port, as with Mesos's default
   * {@code --recover=reconnect}. Executor processes keep running. The port is closed for
   * {@code downtime}; then every call gets 503 for {@code containerizerRecovery}; then executors of
   * checkpointing frameworks may subscribe again within {@code reregistrationTimeout} (Mesos:
   * 2 s), other calls still 503, and those that do not are destroyed.
   *
   * <p>As with Mesos, the master learns at once that the agent is gone (it deactivates the agent and
   * rescinds its offers, so no launch goes to the agent while it is down), and the agent
   * reregisters only when its recovery has ended: the master then reconciles the tasks and
   * executors the agent reports, and offers its free resources again from the next allocation.
   */
  public void restart(Duration downtime, Duration containerizerRecovery, Duration reregistrationTimeout) throws Exception {
    CompletableFuture<Void> crashed = new CompletableFuture<>();
    thread.execute(() -> {
      core.crashed();
      crashed.complete(null);
    });
    crashed.get(10, TimeUnit.SECONDS);
    files.detachUncheckpointed();
    masterRef.get().agentDisconnected(id());
    server.close();
    if (!downtime.isZero()) {
      java.util.concurrent.locks.LockSupport.parkNanos(downtime.toNanos());
    }
    server = LocalHttpServer.rebind("ferry-" + name + "-io", port, api(core, thread, endpoints, filesEndpoint),
        Duration.ofSeconds(5));
    AgentLink link = link(core, thread);
    thread.schedule(containerizerRecovery, () -> core.containersRecovered(reregistrationTimeout,
        known -> masterRef.get().agentReregistered(id(), link, known.tasks(), known.executors())));
  }

  /** A new master leads: this agent reregisters with it under its ID, and talks to it from now on. */
  public void followLeader(LocalMaster leader) {
    masterRef.set(leader);
    leader.reregisterAgent(info.toBuilder().setId(AgentID.newBuilder().setValue(id())).build(), link(core, thread));
  }

  /** Fault injection: kills the executor's process tree as if it crashed. */
  public boolean killExecutor(String frameworkId, String executorId) throws Exception {
    CompletableFuture<Boolean> killed = new CompletableFuture<>();
    thread.execute(() -> killed.complete(core.killExecutor(frameworkId, executorId)));
    return killed.get(10, TimeUnit.SECONDS);
  }

  /** The {@code /slave(1)/state} document (Mesos's shape), built on the agent's thread. */
  public CompletableFuture<String> stateJson() {
    CompletableFuture<String> json = new CompletableFuture<>();
    thread.execute(() -> json.complete(AgentStateJson.state(core, port, endpoints.layout(), endpoints.flags()).toString()));
    return json;
  }

  /** The agent's phase, for tests (asked on the agent's thread). */
  public AgentCore.Phase phase() throws Exception {
    CompletableFuture<AgentCore.Phase> p = new CompletableFuture<>();
    thread.execute(() -> p.complete(core.phase()));
    return p.get(10, TimeUnit.SECONDS);
  }

  /** How every executor of this agent ended so far (for tests and tools); readable after close too. */
  public java.util.List<AgentCore.ExecutorExit> executorExits() {
    return core.exits();
  }

  /**
   * Stops the agent: executors already shutting down (after a TEARDOWN or SHUTDOWN) are given the
   * rest of their grace period to exit on their own, as Mesos's agent would; then every executor's
   * process tree still there is killed, and the server and threads stop.
   */
  @Override
  public void close() {
    // Launches under way finish first and hand their containers to the agent's thread, where
    // destroyAll (queued after them) kills them too: no executor outlives its agent.
    launchPool.shutdown();
    try {
      launchPool.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    CompletableFuture<CompletableFuture<Void>> shuttingDown = new CompletableFuture<>();
    CompletableFuture<Duration> grace = new CompletableFuture<>();
    thread.execute(() -> {
      grace.complete(core.longestGracePeriod());
      shuttingDown.complete(core.terminatingExited());
    });
    try {
      Duration longest = grace.get(5, TimeUnit.SECONDS);
      // The agent's own timer destroys each at the end of its grace period; the extra second
      // covers that kill's delivery.
      shuttingDown.get(5, TimeUnit.SECONDS).get(longest.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // destroyAll below ends whatever is left
    }
    CompletableFuture<CompletableFuture<Void>> destroyed = new CompletableFuture<>();
    thread.execute(() -> destroyed.complete(core.destroyAll()));
    // Waited for on this thread: a container with an image ends when Docker has removed it.
    destroyed.orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> CompletableFuture.completedFuture(null)).join()
        .orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> null).join();
    server.close();
    // As a stopping Mesos agent's files go: nothing of its sandboxes is served any more.
    files.detachAll();
    filesPool.shutdownNow();
    launchPool.shutdownNow();
    thread.close();
  }
}
