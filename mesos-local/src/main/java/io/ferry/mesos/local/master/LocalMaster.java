package io.ferry.mesos.local.master;

import com.google.protobuf.ByteString;
import io.ferry.mesos.local.ThreadTimers;
import io.ferry.mesos.local.http.ApiHttpInitializer;
import io.ferry.mesos.local.http.LocalHttpServer;
import io.ferry.mesos.local.webui.WebUiRoute;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * A running mesos-local master: {@code /api/v1/scheduler} and the state endpoints
 * ({@link MasterEndpoints}) on a loopback port,
 * and the in-process entry points its agents use. Every entry point hands its work to the
 * master's thread.
 */
public final class LocalMaster implements AutoCloseable {

  /**
   * @param heartbeatInterval the scheduler stream's heartbeat (Mesos: 15 s)
   * @param allocationInterval the allocator's batch interval (Mesos: 1 s)
   * @param roles the roles frameworks may use besides {@code *}; empty: any role
   * @param rootSubmissions whether frameworks may run as root (Mesos's {@code --root_submissions})
   * @param credentials principal to secret; when not empty, every scheduler request must carry
   *     {@code Authorization: Basic} with one of them ({@code --authenticate_frameworks})
   */
  public record Settings(int port, Duration heartbeatInterval, Duration allocationInterval,
      Optional<Set<String>> roles, boolean rootSubmissions, java.util.Map<String, String> credentials) {
    public static final Settings DEFAULTS =
        new Settings(0, Duration.ofSeconds(15), Duration.ofSeconds(1), Optional.empty(), true, java.util.Map.of());

    @Override
    public String toString() {
      return "Settings[port=" + port + ", heartbeatInterval=" + heartbeatInterval + ", allocationInterval="
          + allocationInterval + ", roles=" + roles + ", rootSubmissions=" + rootSubmissions + ", credentials="
          + credentials.keySet() + " (secrets [REDACTED])]";
    }
  }

  /** Where masters meet to elect a leader: a ZooKeeper ensemble and a path such as {@code /mesos}. */
  public record Zk(String connectString, String path) {}

  /** Calls are small; an ACCEPT with many tasks stays far below this. */
  static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;

  private final ThreadTimers thread;
  private final LocalHttpServer server;
  private final MasterCore core;
  private final java.util.List<java.util.function.Consumer<LocalMaster>> onLeading = new java.util.concurrent.CopyOnWriteArrayList<>();
  private org.apache.curator.framework.CuratorFramework zk;
  private MasterContender contender;

  private LocalMaster(ThreadTimers thread, LocalHttpServer server, MasterCore core) {
    this.thread = thread;
    this.server = server;
    this.core = core;
  }

  /**
   * Starts a master that contends for leadership through ZooKeeper; until it leads, it answers
   * 307 to the leader (or 503 while none is elected). {@code whenLeading} runs each time it
   * becomes the leader.
   */
  public static LocalMaster start(Settings settings, Zk zk, java.util.function.Consumer<LocalMaster> whenLeading)
      throws Exception {
    LocalMaster master = start(settings);
    master.onLeading.add(whenLeading);
    master.thread.execute(() -> master.core.leadershipChanged(Leadership.NONE));
    master.zk = org.apache.curator.framework.CuratorFrameworkFactory.newClient(zk.connectString(), 10_000, 5_000,
        new org.apache.curator.retry.ExponentialBackoffRetry(200, 5));
    master.zk.start();
    master.contender = new MasterContender(master.zk, zk.path(), master.core.info(), leadership ->
        master.thread.execute(() -> {
          boolean was = master.core.leading();
          master.core.leadershipChanged(leadership);
          if (!was && master.core.leading()) {
            master.onLeading.forEach(listener -> listener.accept(master));
          }
        }));
    master.contender.start();
    return master;
  }

  /** Whether this master leads now (asked on its thread). */
  public boolean leading() {
    CompletableFuture<Boolean> leading = new CompletableFuture<>();
    thread.execute(() -> leading.complete(core.leading()));
    return leading.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
  }

  /** After a master failover: an agent reregisters with its ID. */
  public void reregisterAgent(AgentInfo info, AgentLink link) {
    thread.execute(() -> core.reregisterAgent(info, link));
  }

  public static LocalMaster start(Settings settings) throws InterruptedException {
    ThreadTimers thread = new ThreadTimers("ferry-master");
    AtomicReference<MasterCore> core = new AtomicReference<>();
    LocalHttpServer server;
    try {
      FrameworkAuthenticator authenticator = new FrameworkAuthenticator(settings.credentials());
      WebUiRoute webUi = WebUiRoute.load();
      // The core is asked for at each connection: it is made once the port is known.
      server = LocalHttpServer.start("ferry-master-io", settings.port(), new ApiHttpInitializer(MAX_REQUEST_BYTES,
          () -> new SchedulerApiHandler(core.get(), thread, authenticator, webUi)));
    } catch (InterruptedException | RuntimeException e) {
      thread.close();
      throw e;
    }
    MasterCore c = new MasterCore(new MasterCore.Settings(settings.heartbeatInterval(), settings.allocationInterval(),
        settings.roles(), settings.rootSubmissions(), "127.0.0.1", server.port()), thread);
    c.flags(flags(settings, server.port()));
    core.set(c);
    thread.execute(c::start);
    return new LocalMaster(thread, server, c);
  }

  /**
   * The master's {@code flags} in {@code /master/state}: Mesos's names for what mesos-local really
   * does, durations as Mesos prints them; credentials only as whether they are required.
   */
  private static java.util.Map<String, String> flags(Settings settings, int port) {
    java.util.Map<String, String> flags = new java.util.TreeMap<>();
    flags.put("hostname", "127.0.0.1");
    flags.put("ip", "127.0.0.1");
    flags.put("port", Integer.toString(port));
    flags.put("allocation_interval", io.ferry.mesos.MesosDurations.format(settings.allocationInterval()));
    flags.put("root_submissions", Boolean.toString(settings.rootSubmissions()));
    settings.roles().ifPresent(roles -> flags.put("roles", String.join(",", new java.util.TreeSet<>(roles))));
    flags.put("authenticate_frameworks", Boolean.toString(!settings.credentials().isEmpty()));
    flags.put("max_completed_frameworks", Integer.toString(MasterCore.MAX_COMPLETED_FRAMEWORKS));
    flags.put("max_completed_tasks_per_framework", Integer.toString(FrameworkRecord.MAX_COMPLETED_TASKS));
    flags.put("framework_sorter", "drf");
    return flags;
  }

  /** {@code 127.0.0.1:port}, for {@code mesos://} URLs. */
  public String address() {
    return "127.0.0.1:" + server.port();
  }

  public int port() {
    return server.port();
  }

  /** Registers an agent; completes with its new ID. */
  public CompletableFuture<String> registerAgent(AgentInfo info, AgentLink link) {
    CompletableFuture<String> id = new CompletableFuture<>();
    thread.execute(() -> id.complete(core.registerAgent(info, link)));
    return id;
  }

  public void agentDisconnected(String agentId) {
    thread.execute(() -> core.agentDisconnected(agentId));
  }

  /**
   * A restarted agent reregisters, reporting the tasks it still knows and its executors (by
   * framework ID); the master reconciles against them.
   */
  public void agentReregistered(String agentId, AgentLink link, java.util.Set<String> knownTasks,
      java.util.Map<String, java.util.Set<String>> knownExecutors) {
    thread.execute(() -> core.agentReregistered(agentId, link, knownTasks, knownExecutors));
  }

  public void statusUpdate(String frameworkId, TaskStatus status) {
    thread.execute(() -> core.statusUpdate(frameworkId, status));
  }

  public void executorExited(String frameworkId, String agentId, ExecutorID executorId, Optional<Integer> waitStatus) {
    thread.execute(() -> core.executorExited(frameworkId, agentId, executorId, waitStatus));
  }

  public void executorMessage(String frameworkId, String agentId, ExecutorID executorId, ByteString data) {
    thread.execute(() -> core.executorMessage(frameworkId, agentId, executorId, data));
  }

  // ---- Fault injection (each runs on the master's thread) ----

  public void dropAcknowledgements(int count) {
    thread.execute(() -> core.dropAcknowledgements(count));
  }

  public void delayAcknowledgements(Duration delay) {
    thread.execute(() -> core.delayAcknowledgements(delay));
  }

  public void cutStream(String frameworkId) {
    thread.execute(() -> core.cutStream(frameworkId));
  }

  public void partition(String agentId) {
    thread.execute(() -> core.partition(agentId));
  }

  public void heal(String agentId) {
    thread.execute(() -> {
      core.heal(agentId);
      core.flushAfterFaults();
    });
  }

  /** The {@code /master/state} document (Mesos's shape), built on the master's thread. */
  public CompletableFuture<String> stateJson() {
    CompletableFuture<String> json = new CompletableFuture<>();
    thread.execute(() -> json.complete(StateJson.state(core).toString()));
    return json;
  }

  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (contender != null) {
      contender.close();
    }
    if (zk != null) {
      zk.close();
    }
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    thread.execute(() -> {
      core.stop();
      stopped.complete(null);
    });
    stopped.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join();
    server.close();
    thread.close();
  }
}
