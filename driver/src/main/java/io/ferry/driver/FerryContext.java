package io.ferry.driver;

import io.ferry.api.Task;
import io.ferry.api.TaskSerializer;
import io.ferry.driver.backend.CoarseGrainedBackend;
import io.ferry.driver.backend.ExecutorCounts;
import io.ferry.driver.backend.FineGrainedBackend;
import io.ferry.driver.backend.MesosBackend;
import io.ferry.driver.internal.ExecutorLogs;
import io.ferry.driver.mesos.SchedulerLinkConfig;
import io.ferry.driver.mesos.internal.NamedThreads;
import io.ferry.driver.scheduling.LocalBackend;
import io.ferry.driver.scheduling.TaskScheduler;
import io.ferry.mesos.local.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver: where an application submits tasks to run on Mesos executors (or local threads).
 *
 * <pre>{@code
 * try (FerryContext ferry = FerryContext.create(Map.of(
 *     "ferry.master", "mesos://zk://zk1:2181/mesos",
 *     "ferry.executor.uri", "hdfs://nn:8020/ferry/ferry-0.1.0-bin.tgz"))) {
 *   List<Long> hits = ferry.runAll(List.of(ctx -> count(1), ctx -> count(2)));
 * }
 * }</pre>
 *
 * <p>{@code ferry.master} picks the backend: {@code local[N]} runs tasks on N threads here;
 * {@code local-cluster[agents,cpus,memMB]} starts an in-process Mesos ({@code mesos-local}) and
 * runs real executor processes from the distribution archive; {@code mesos://...} uses a real
 * cluster. Failed tasks run again (up to {@code ferry.task.maxFailures}), on another agent when
 * there is one; each result is accepted exactly once. Thread-safe.
 */
public final class FerryContext implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FerryContext.class);

  /** NEW -> RUNNING -> CLOSED; only forward. */
  public enum State { RUNNING, CLOSED }

  /**
   * Hears when a context of this JVM starts and when it closes: how {@code ferry-submit}'s console
   * finds the context the application creates (it prints the web UI's address and samples
   * {@link #progress()}). Called on the thread that creates or closes the context, so it must
   * return quickly; an exception it throws is logged and ignored.
   */
  public interface Observer {
    /** The context is running: registered with Mesos (or its local threads are up). */
    void started(FerryContext context);

    /** {@link #close()} began; every task is done by now (finished, failed or cancelled). */
    default void closing(FerryContext context) {}
  }

  private static final List<Observer> OBSERVERS = new CopyOnWriteArrayList<>();

  /** Observes every context started from now on, until the returned handle is closed. */
  public static AutoCloseable addObserver(Observer observer) {
    if (observer == null) {
      throw new IllegalArgumentException("observer: null (expected: an Observer)");
    }
    OBSERVERS.add(observer);
    return () -> OBSERVERS.remove(observer);
  }

  private static void tell(String what, java.util.function.Consumer<Observer> call) {
    for (Observer o : OBSERVERS) {
      try {
        call.accept(o);
      } catch (RuntimeException e) {
        log.warn("a FerryContext observer failed when the context {}: {}", what, e.toString());
      }
    }
  }

  private final FerryConf conf;
  private final TaskScheduler scheduler;
  private final ExecutorService callbacks;
  /** Threads that submit {@link #runAll}'s tasks (see {@link RunAllBatch}: why not the caller's). */
  private final ExecutorService submitters = Executors.newCachedThreadPool(NamedThreads.factory("ferry-submit"));
  private final AutoCloseable backend;
  private final LocalCluster cluster;
  private final Optional<String> fixedMasterAddress;
  private final String effectiveMaster;
  private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);

  private FerryContext(FerryConf conf, TaskScheduler scheduler, ExecutorService callbacks, AutoCloseable backend,
      LocalCluster cluster, String effectiveMaster) {
    this.conf = conf;
    this.scheduler = scheduler;
    this.callbacks = callbacks;
    this.backend = backend;
    this.cluster = cluster;
    this.effectiveMaster = effectiveMaster;
    this.fixedMasterAddress = cluster != null ? Optional.of(cluster.masterAddress())
        : conf.master() instanceof MasterUrl.Mesos m ? Optional.of(m.httpEndpoint().substring("http://".length()))
        : Optional.empty();
  }

  private static FerryContext started(FerryContext context) {
    tell("started", o -> o.started(context));
    return context;
  }

  /** From these settings over system properties, {@code conf/ferry-defaults.conf} and the environment. */
  public static FerryContext create(Map<String, String> settings) throws Exception {
    return create(FerryConf.load(settings));
  }

  public static FerryContext create(FerryConf conf) throws Exception {
    return create(conf, ClassGenerations.NONE);
  }

  /**
   * As {@link #create(FerryConf)}, with classes made at run time in this JVM (a shell's snippets):
   * each task runs on its executor with the generation that was current when it was submitted.
   */
  public static FerryContext create(FerryConf conf, ClassGenerations generations) throws Exception {
    if (generations == null) {
      throw new IllegalArgumentException("generations: null (expected: ClassGenerations.NONE for none)");
    }
    ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
        ? Thread.currentThread().getContextClassLoader()
        : FerryContext.class.getClassLoader();
    TaskSerializer serializer = new TaskSerializer(loader);
    ExecutorService callbacks = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "ferry-driver-results");
      t.setDaemon(true);
      return t;
    });
    TaskScheduler scheduler = new TaskScheduler(
        new TaskScheduler.Policy(conf.taskMaxFailures(), conf.excludeMaxFailuresPerAgent(), conf.excludeTimeout()),
        serializer, generations, callbacks);
    MasterUrl master = conf.master();
    if (master instanceof MasterUrl.Local local) {
      LocalBackend backend = new LocalBackend(scheduler, local.threads());
      scheduler.attach(backend);
      log.info("running tasks on {} local threads", local.threads());
      return started(new FerryContext(conf, scheduler, callbacks, backend, null, master.toString()));
    }
    LocalCluster cluster = null;
    SchedulerLinkConfig.Builder link;
    String effective = master.toString();
    try {
      if (master instanceof MasterUrl.LocalCluster lc) {
        Path workDir = Files.createDirectories(conf.localDir()).resolve("local-cluster-" + ProcessHandle.current().pid());
        cluster = LocalCluster.start(LocalCluster.Settings.of(lc.agents(), lc.cpus(), lc.memMb(), workDir));
        effective = "mesos://" + cluster.masterAddress();
        link = SchedulerLinkConfig.builder(conf).master(MasterUrl.parse(effective));
        log.info("started local-cluster with {} agents of {} cpus and {} MB at {}", lc.agents(), lc.cpus(), lc.memMb(),
            effective);
      } else {
        link = SchedulerLinkConfig.builder(conf);
      }
      MesosBackend backend = conf.coarse()
          ? new CoarseGrainedBackend(conf, scheduler, link)
          : new FineGrainedBackend(conf, scheduler, link);
      scheduler.attach(backend);
      try {
        backend.start(jarPaths(conf));
      } catch (Exception | Error e) {
        backend.close();
        throw e;
      }
      return started(new FerryContext(conf, scheduler, callbacks, backend, cluster, effective));
    } catch (Exception | Error e) {
      if (cluster != null) {
        cluster.close();
      }
      callbacks.shutdownNow();
      throw e;
    }
  }

  private static List<Path> jarPaths(FerryConf conf) {
    List<Path> jars = new ArrayList<>();
    for (String jar : conf.jars()) {
      jars.add(Path.of(jar.startsWith("file:") ? java.net.URI.create(jar).getPath() : jar).toAbsolutePath());
    }
    return jars;
  }

  /** Runs a task somewhere; cancelling the future kills it. */
  public <R> CompletableFuture<R> submit(Task<R> task) {
    return submit("task", task);
  }

  /** As {@link #submit(Task)}, with a name for logs and Mesos's UI. */
  public <R> CompletableFuture<R> submit(String name, Task<R> task) {
    if (state.get() == State.CLOSED) {
      throw new IllegalStateException("this FerryContext is closed");
    }
    return scheduler.submit(task, name);
  }

  /**
   * Runs every task and returns their results in order. If one fails for good, the others are
   * cancelled and its {@link TaskFailedException} is thrown from here (its stack trace is this
   * call's), its message ending with a link to the executor's log ({@link #executorLog}). However
   * this call ends before every result is in (a failure, an interrupt, or JShell's Ctrl-C, which
   * stops the snippet's thread), the tasks not yet done are cancelled: none keeps running on the
   * cluster for a caller that has gone.
   */
  public <R> List<R> runAll(List<? extends Task<R>> tasks) throws InterruptedException {
    RunAllBatch<R> batch = new RunAllBatch<>(tasks.size());
    boolean allIn = false;
    try {
      submitters.execute(() -> batch.submitAll(tasks, this::submit));
      List<R> results = batch.results();
      allIn = true;
      return results;
    } catch (RejectedExecutionException e) { // close() shut the submitters down (submit() says so too)
      throw new IllegalStateException("this FerryContext is closed");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TaskFailedException failed) {
        throw failed.rethrownHere(executorLog(failed).map(link -> "; its executor's log: " + link).orElse(""));
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      if (!allIn) {
        batch.cancel();
      }
    }
  }

  public FerryConf conf() {
    return conf;
  }

  /** The master in use; for {@code local-cluster}, the started cluster's {@code mesos://} URL. */
  public String master() {
    return effectiveMaster;
  }

  /** The embedded cluster of {@code local-cluster} mode (for tests and tools), if any. */
  public java.util.Optional<LocalCluster> localCluster() {
    return java.util.Optional.ofNullable(cluster);
  }

  /** Where this context's tasks stand: a consistent snapshot, lock-free, cheap enough to sample often. */
  public JobProgress progress() {
    return scheduler.progress();
  }

  /**
   * The Mesos master's web UI, {@code http://host:port/}: the embedded master of
   * {@code local-cluster}, the master of a {@code mesos://host:port} URL, or for
   * {@code mesos://zk://} the leading master (it changes with the leader). Empty for
   * {@code local[N]}, which has no master.
   */
  public Optional<String> webUi() {
    Optional<String> address = fixedMasterAddress.isPresent() ? fixedMasterAddress
        : backend instanceof MesosBackend mesos ? mesos.masterAddress() : Optional.empty();
    return address.map(a -> "http://" + a + "/");
  }

  /**
   * The framework ID Mesos registered this driver under (what the master's web UI and sandbox
   * paths name it by); empty for {@code local[N]}, which has no Mesos.
   */
  public Optional<String> frameworkId() {
    return backend instanceof MesosBackend mesos ? mesos.registeredFrameworkId() : Optional.empty();
  }

  /**
   * A link to the log (the sandbox's stdout and stderr) of the executor where {@code failure}'s last
   * attempt ran, on the master's web UI: the full stack trace is there. Empty for {@code local[N]}
   * and when the attempt reached no executor.
   */
  public Optional<String> executorLog(TaskFailedException failure) {
    return ExecutorLogs.link(webUi(), frameworkId(), cluster != null, failure.executorId(), failure.agentId());
  }

  public State state() {
    return state.get();
  }

  /**
   * Coarse mode's executors: how many are live, and how many were added and retired so far
   * (elastic coarse mode, {@code ferry.dynamicAllocation.*}); empty in fine and {@code local[N]} modes.
   */
  public Optional<ExecutorCounts> executorCounts() {
    return backend instanceof CoarseGrainedBackend coarse ? Optional.of(coarse.executorCounts()) : Optional.empty();
  }

  /**
   * Fails tasks not yet done, releases executors (TEARDOWN in Mesos modes), stops the driver port
   * and, in {@code local-cluster} mode, the cluster. Idempotent.
   */
  @Override
  public void close() {
    if (!state.compareAndSet(State.RUNNING, State.CLOSED)) {
      return;
    }
    scheduler.close("FerryContext.close()");
    tell("closed", o -> o.closing(this));
    try {
      backend.close();
    } catch (Exception e) {
      log.warn("error while stopping the backend: {}", e.toString());
    }
    if (cluster != null) {
      cluster.close();
    }
    callbacks.shutdown();
    submitters.shutdown();
  }
}
