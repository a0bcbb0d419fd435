package io.ferry.driver.backend;

import io.ferry.driver.FerryConf;
import io.ferry.driver.MesosLaunchSettings;
import io.ferry.driver.mesos.OfferConstraints;
import io.ferry.driver.mesos.SchedulerLink;
import io.ferry.driver.mesos.SchedulerLinkConfig;
import io.ferry.driver.mesos.SchedulerListener;
import io.ferry.driver.scheduling.Attempt;
import io.ferry.driver.scheduling.TaskScheduler;
import io.ferry.rpc.RpcException;
import io.ferry.rpc.RpcServer;
import io.ferry.rpc.ServerConfig;
import io.ferry.rpc.ServerHandler;
import com.google.protobuf.ByteString;
import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.Mode;
import io.ferry.rpc.proto.RunTask;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both Mesos modes share: the driver port (an {@link RpcServer}), the framework's link to
 * the master, offer bookkeeping (decline with filters, SUPPRESS when idle, REVIVE when work
 * arrives), executor descriptions and the start-up handshake with the master.
 *
 * <p>Threads: Mesos events arrive on the link's {@code ferry-scheduler-events} thread, executor
 * frames on {@code ferry-rpc-io} threads, submissions on user threads; subclasses guard their
 * state with {@code this} and never block while holding it.
 */
public abstract class MesosBackend implements TaskScheduler.Backend, SchedulerListener, ServerHandler, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MesosBackend.class);

  protected final FerryConf conf;
  protected final TaskScheduler scheduler;
  /** Serves run-time class generations (a shell's snippets) to this application's executors. */
  protected final ClassGenerationServer classes;
  protected final ExecutorSpec executors;
  protected final OfferConstraints constraints;
  /** The GPUs held by the application's tasks ({@code ferry.mesos.gpus.max}). */
  private final GpuLedger gpus;
  /** {@code ferry.mesos.task.labels}, as every TaskInfo carries them; null when none. */
  private final org.apache.mesos.v1.Protos.Labels taskLabels;
  /** Warns while no offer fits and nothing runs; subclasses report each offer they refuse and each launch. */
  protected final StarvationWatch starvation;
  private final SchedulerLinkConfig.Builder linkConfig;
  private final CompletableFuture<FrameworkID> registered = new CompletableFuture<>();
  protected volatile RpcServer rpc;
  protected volatile SchedulerLink link;
  private volatile String fatalError;
  private boolean suppressed;

  protected MesosBackend(FerryConf conf, TaskScheduler scheduler, SchedulerLinkConfig.Builder linkConfig) {
    this.conf = conf;
    this.scheduler = scheduler;
    this.classes = new ClassGenerationServer(scheduler.classGenerations(), conf.rpcMaxFrameSize());
    this.linkConfig = linkConfig;
    this.constraints = conf.mesosConstraints();
    this.executors = executorSpec(conf);
    this.gpus = new GpuLedger(conf.mesosLaunch().gpusMax());
    this.taskLabels = conf.mesosLaunch().taskLabels().isEmpty() ? null
        : ExecutorSpec.labels(conf.mesosLaunch().taskLabels());
    this.starvation = new StarvationWatch(ExecutorNeeds.of(conf), StarvationWatch.Timing.fromSystemProperties(),
        () -> scheduler.pendingCount() > 0 && nothingRuns(), scheduler::pendingCount);
  }

  /**
   * How executors start: in the configured container image, else from the archive agents fetch,
   * else from the distribution installed on the agents ({@code ferry.mesos.executor.home}; the URI
   * wins when both are set, as in Spark). Either way in the CNI network, when one is set.
   */
  static ExecutorSpec executorSpec(FerryConf conf) {
    MesosLaunchSettings launch = conf.mesosLaunch();
    return startFrom(conf, launch).withNetwork(
        launch.networkName().map(name -> new ExecutorSpec.Network(name, launch.networkLabels())));
  }

  private static ExecutorSpec startFrom(FerryConf conf, MesosLaunchSettings launch) {
    if (conf.mesosExecutorDockerImage().isPresent()) {
      return ExecutorSpec.inImage(new ExecutorSpec.DockerImage(conf.mesosExecutorDockerImage().get(),
          conf.mesosExecutorDockerForcePullImage()), conf.mesosFetcherCache(), conf.mesosUris(),
          conf.executorMemoryMb(), conf.appName());
    }
    if (launch.executorHome().isPresent()) {
      if (conf.executorUri().isEmpty()) {
        return ExecutorSpec.installed(launch.executorHome().get(), conf.mesosFetcherCache(), conf.mesosUris(),
            conf.executorMemoryMb(), conf.appName());
      }
      log.info("ferry.executor.uri {} and ferry.mesos.executor.home {} are both set: executors run from the fetched"
          + " archive (the URI wins, as in Spark); unset ferry.executor.uri to run the installed distribution",
          conf.executorUri().get(), launch.executorHome().get());
    }
    return new ExecutorSpec(
        conf.executorUri().orElseThrow(() -> new IllegalArgumentException(
            "ferry.executor.uri is not set: agents need the URI of the Ferry distribution archive"
                + " (--executor-uri, ferry.executor.uri or FERRY_EXECUTOR_URI), e.g. hdfs://nn:8020/ferry/ferry-0.1.0-bin.tgz")),
        conf.mesosFetcherCache(),
        conf.mesosUris(),
        conf.executorMemoryMb(),
        conf.appName());
  }

  /** No task (fine mode) or slot (coarse mode) is running or starting: waiting tasks have nowhere to go. */
  protected abstract boolean nothingRuns();

  protected abstract Mode mode();

  /** Starts the driver port, subscribes, and waits until Mesos has registered the framework. */
  public void start(List<Path> jars) throws RpcException, InterruptedException {
    rpc = RpcServer.start(new ServerConfig(conf.driverBindAddress(), conf.driverPort(), conf.rpcHeartbeatInterval(),
        conf.rpcHeartbeatTimeout(), conf.rpcMaxFrameSize(), conf.rpcTls(), jars, conf.rpcHandshakeTimeout(),
        conf.rpcMaxPendingHandshakes()), this);
    link = SchedulerLink.create(linkConfig.knownTasks(this::knownTasks).build());
    link.start(new EndedTaskListener(this, gpus));
    Duration wait = conf.mesosRegistrationTimeout().plusSeconds(5);
    try {
      FrameworkID id = registered.get(wait.toMillis(), TimeUnit.MILLISECONDS);
      log.info("registered with Mesos as framework {}; executors reach this driver at {}:{}", id.getValue(),
          conf.driverHost(), advertisedPort());
      starvation.start();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Mesos did not register the framework within " + wait.toSeconds()
          + " s (master " + conf.master() + "): check that the master is up and reachable");
    }
  }

  /** Tasks the driver believes are live, for explicit reconciliation after every SUBSCRIBED. */
  protected abstract List<TaskStatus> knownTasks();

  /** The framework ID Mesos gave this driver, once registered. */
  public Optional<String> registeredFrameworkId() {
    SchedulerLink l = link;
    return l == null ? Optional.empty() : l.frameworkId().map(FrameworkID::getValue);
  }

  protected String frameworkId() {
    return link.frameworkId().map(FrameworkID::getValue).orElse("unregistered");
  }

  protected byte[] launchRecord(String executorId) {
    return rpc.launchRecord(executorId, mode(), conf.driverHost(), frameworkId()).setDriverPort(advertisedPort())
        .build().toByteArray();
  }

  /** The port executors connect to: {@code ferry.driver.advertisedPort}, else the bound one. */
  protected int advertisedPort() {
    return conf.driverAdvertisedPort() != 0 ? conf.driverAdvertisedPort() : rpc.port();
  }

  /** A task on the offer's agent, with {@code ferry.mesos.task.labels}. */
  protected TaskInfo.Builder taskInfo(String mesosTaskId, String name, Offer offer) {
    TaskInfo.Builder task = TaskInfo.newBuilder()
        .setTaskId(TaskID.newBuilder().setValue(mesosTaskId))
        .setName(name)
        .setAgentId(offer.getAgentId());
    if (taskLabels != null) {
      task.setLabels(taskLabels);
    }
    return task;
  }

  /**
   * Up to {@code most} whole GPUs of the offer for the Mesos task {@code mesosTaskId}, within
   * {@code ferry.mesos.gpus.max} ({@link GpuLedger}, which says how modes split them); empty with a
   * cap of 0. They are given back when the task ends or its launch is refused.
   */
  protected List<org.apache.mesos.v1.Protos.Resource> takeGpus(OfferResources free, String mesosTaskId, int most) {
    return gpus.take(free, mesosTaskId, most);
  }

  /** GPUs held now by the application's tasks (for tests and logs). */
  public int gpusHeld() {
    return gpus.held();
  }

  protected void launch(Offer offer, List<TaskInfo> tasks, Runnable onRefused) {
    Offer.Operation launch = Offer.Operation.newBuilder()
        .setType(Offer.Operation.Type.LAUNCH)
        .setLaunch(Offer.Operation.Launch.newBuilder().addAllTaskInfos(tasks))
        .build();
    link.accept(List.of(offer.getId()), List.of(launch), Filters.newBuilder().setRefuseSeconds(1).build())
        .whenComplete((ok, failure) -> {
          if (failure != null) {
            tasks.forEach(t -> gpus.release(t.getTaskId().getValue()));
            log.error("Mesos refused to launch {} task(s) on agent {}: {}", tasks.size(),
                offer.getAgentId().getValue(), failure.getMessage());
            onRefused.run();
          }
        });
  }

  /** Declines an offer we cannot use now; {@code long} filters for offers we will not want soon. */
  protected void decline(Offer offer, boolean longFilter) {
    double seconds = longFilter ? conf.mesosRejectOfferDuration().toMillis() / 1000.0 : 5;
    link.decline(List.of(offer.getId()), Filters.newBuilder().setRefuseSeconds(seconds).build());
  }

  /** No more offers until {@link #wantOffers()}; declined filters are cleared by the REVIVE then. */
  protected synchronized void suppressOffers() {
    if (!suppressed) {
      suppressed = true;
      link.suppress();
    }
  }

  protected synchronized void wantOffers() {
    if (suppressed) {
      suppressed = false;
      link.revive();
    }
  }

  protected synchronized boolean offersSuppressed() {
    return suppressed;
  }

  protected static boolean isTerminal(TaskState state) {
    return switch (state) {
      case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_LOST, TASK_ERROR, TASK_DROPPED, TASK_GONE,
          TASK_GONE_BY_OPERATOR, TASK_UNKNOWN -> true;
      default -> false;
    };
  }

  /** "TASK_FAILED (REASON_EXECUTOR_TERMINATED): message" for logs and task failures. */
  protected static String describe(TaskStatus status) {
    return status.getState().name()
        + (status.hasReason() ? " (" + status.getReason().name() + ")" : "")
        + (status.getMessage().isEmpty() ? "" : ": " + status.getMessage());
  }

  /** The frame that runs an attempt on its executor. */
  protected static Frame runTask(Attempt attempt) {
    return Frame.newBuilder().setRunTask(RunTask.newBuilder()
            .setTaskId(attempt.taskId())
            .setAttempt(attempt.number())
            .setMesosTaskId(attempt.mesosTaskId())
            .setName(attempt.name())
            .setPayload(ByteString.copyFrom(attempt.payload()))
            .setClassGeneration(attempt.classGeneration()))
        .build();
  }

  /** A task the driver believes live, for explicit reconciliation. */
  protected static TaskStatus believedRunning(String mesosTaskId, String agentId) {
    return TaskStatus.newBuilder()
        .setTaskId(TaskID.newBuilder().setValue(mesosTaskId))
        .setAgentId(AgentID.newBuilder().setValue(agentId))
        .setState(TaskState.TASK_RUNNING)
        .build();
  }

  protected void killMesosTask(Attempt attempt) {
    link.kill(TaskID.newBuilder().setValue(attempt.mesosTaskId()).build(),
        AgentID.newBuilder().setValue(attempt.agentId()).build());
  }

  /** {@code host:port} of the master the link last subscribed at (the current leader), once subscribed. */
  public Optional<String> masterAddress() {
    SchedulerLink l = link;
    return l == null ? Optional.empty() : l.masterAddress();
  }

  /** An error that stopped the link (framework removed, refused credentials), if any. */
  public Optional<String> fatalError() {
    return Optional.ofNullable(fatalError);
  }

  @Override
  public void subscribed(FrameworkID id, MasterInfo master, boolean resubscribed) {
    log.info("{} to Mesos master {}:{} as framework {}", resubscribed ? "resubscribed" : "subscribed",
        master.getHostname().isEmpty() ? master.getAddress().getIp() : master.getHostname(), master.getPort(),
        id.getValue());
    synchronized (this) {
      suppressed = false; // a new subscription starts unsuppressed
    }
    registered.complete(id);
  }

  @Override
  public void rescinded(OfferID offer) {
    // Offers are answered as they arrive; nothing is held.
  }

  @Override
  public void message(AgentID agent, ExecutorID executor, byte[] data) {
    log.debug("ignoring a framework message from executor {}", executor.getValue());
  }

  @Override
  public void disconnected(String reason) {
    log.warn("lost the Mesos master ({}); resubscribing, running tasks continue", reason);
  }

  @Override
  public void error(String message) {
    fatalError = message;
    if (registered.isDone()) {
      log.error("Mesos stopped this framework: {}", message);
    } // else start() throws it, and the caller says it once
    registered.completeExceptionally(new IllegalStateException(message));
    scheduler.close("Mesos stopped the framework: " + message);
  }

  @Override
  public void failure(Optional<AgentID> agent, Optional<ExecutorID> executor, OptionalInt status) {
    if (executor.isPresent() && status.isPresent() && executors.image().isEmpty()
        && ExecutorSpec.isMissingLauncher(status.getAsInt())) {
      // Every agent would fail the same way: fail the job now instead of after maxFailures tries.
      scheduler.abort(MissingLauncher.message(executors, agent.map(AgentID::getValue).orElse("?")));
      suppressOffers();
    }
    executor.ifPresent(e -> executorLost(e.getValue(), "executor " + e.getValue() + " exited"
        + (status.isPresent() ? " with status " + status.getAsInt() : "")));
    if (executor.isEmpty()) {
      agent.ifPresent(a -> agentLost(a.getValue()));
    }
  }

  protected abstract void executorLost(String executorId, String reason);

  protected abstract void agentLost(String agentId);

  /** Ends the framework: TEARDOWN (Mesos stops every executor), then the driver port. */
  @Override
  public void close() {
    starvation.close();
    if (link != null) {
      link.close(true);
    }
    if (rpc != null) {
      rpc.close();
    }
  }
}
