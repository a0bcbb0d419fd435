package io.ferry.executor.internal.driver;

import io.ferry.api.TaskSerializer;
import io.ferry.executor.ExecutorContext;
import io.ferry.executor.TaskControl;
import io.ferry.executor.TaskHandler;
import io.ferry.executor.internal.TaskPool;
import io.ferry.executor.internal.Tags;
import io.ferry.rpc.ClientConfig;
import io.ferry.rpc.DriverConnection;
import io.ferry.rpc.FrameListener;
import io.ferry.rpc.RpcAuthException;
import io.ferry.rpc.RpcClient;
import io.ferry.rpc.RpcConnectException;
import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.LaunchRecord;
import io.ferry.rpc.proto.Mode;
import java.io.PrintStream;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor's driver side: the first LAUNCH with a valid launch record in {@code TaskInfo.data}
 * connects to the driver ({@link RpcClient}, authenticated on the record's one-time token); the
 * Welcome's jars are fetched into {@code <sandbox>/ferry-app-jars/} and loaded in one class loader
 * for the application; then tasks run in the record's mode ({@link FineMode}, {@link CoarseMode}).
 * A driver that cannot be reached fails the task with the reason (and one paragraph on stderr);
 * a lost driver link fails every task and ends the executor: no orphans. The driver's goodbye
 * is the normal end: tasks still running are killed and the executor exits with status 0.
 *
 * <p>Confined to the core thread: frames and completions from the link's threads are handed over
 * with {@link ExecutorContext#execute}. The exception is coarse mode's task frames ({@code RunTask},
 * {@code CancelTask}): once the link is ready they go from the link's event loop straight to
 * {@link CoarseMode}, which is thread-safe for them, so the core thread is not on a task's path.
 */
public final class DriverTaskHandler implements TaskHandler {
  private static final Logger log = LoggerFactory.getLogger(DriverTaskHandler.class);
  static final String JAR_DIRECTORY = "ferry-app-jars";

  /** The link's lifecycle, on the core thread. */
  enum Link { WAITING_FOR_RECORD, CONNECTING, READY, FAILED, CLOSED }

  private record Pending(TaskInfo task, TaskControl control) {}

  private final ExecutorContext executor;
  private final PrintStream stderr;
  private final String tag;
  private final List<Pending> pending = new ArrayList<>();
  private Link link = Link.WAITING_FOR_RECORD;
  private String failure = "";
  private Event.Subscribed subscribed = Event.Subscribed.getDefaultInstance();
  private DriverConnection driver;
  private URLClassLoader appLoader;
  private Mode mode = Mode.FINE;
  private FineMode fine;
  private CoarseMode coarse;
  /**
   * Coarse mode while the link is READY, else null: read on the link's event loop, which passes
   * task frames to it directly. Set and cleared on the core thread.
   */
  private volatile CoarseMode coarseTasks;
  private ClassGenerationCache generations;

  public DriverTaskHandler(ExecutorContext executor) {
    this(executor, System.err);
  }

  DriverTaskHandler(ExecutorContext executor, PrintStream stderr) {
    this.executor = executor;
    this.stderr = stderr;
    this.tag = Tags.executor(executor.settings().executorId());
  }

  @Override
  public void subscribed(Event.Subscribed info) {
    this.subscribed = info;
  }

  @Override
  public void launch(TaskInfo task, TaskControl control) {
    switch (link) {
      case READY -> dispatch(task, control);
      case CONNECTING -> pending.add(new Pending(task, control));
      case FAILED, CLOSED -> control.failed(failure);
      case WAITING_FOR_RECORD -> {
        LaunchRecord record;
        try {
          record = LaunchRecords.parse(task);
        } catch (IllegalArgumentException e) {
          log.error("{} task {}: {}", tag, task.getTaskId().getValue(), e.getMessage());
          control.failed(e.getMessage());
          return;
        }
        pending.add(new Pending(task, control));
        connect(record);
      }
      default -> throw new IllegalStateException(link.toString());
    }
  }

  private void connect(LaunchRecord record) {
    link = Link.CONNECTING;
    mode = record.getMode() == Mode.COARSE ? Mode.COARSE : Mode.FINE;
    ClientConfig config;
    try {
      config = ClientConfig.fromLaunchRecord(record, executor.settings().executorId(), agentId(), hostname());
    } catch (IllegalArgumentException e) {
      fail("TaskInfo.data is not a usable Ferry launch record: " + e.getMessage());
      return;
    }
    log.info("{} connecting to the driver at {}:{} ({} mode, application {})", tag, record.getDriverHost(),
        record.getDriverPort(), mode, record.getAppId());
    RpcClient.connect(config, new Frames()).whenComplete((connection, error) -> executor.execute(() -> {
      if (error != null) {
        connectFailed(record, error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
      } else {
        connected(record, connection);
      }
    }));
  }

  private void connectFailed(LaunchRecord record, Throwable error) {
    if (link != Link.CONNECTING) {
      return;
    }
    if (error instanceof RpcConnectException unreachable) {
      String cause = unreachable.getMessage().substring(unreachable.getMessage().lastIndexOf(": ") + 2);
      stderr.println(DriverUnreachable.paragraph(unreachable.host(), unreachable.port(), cause, record.getAppId(),
          hostname()));
      stderr.flush();
      fail(DriverUnreachable.reason(unreachable.host(), unreachable.port(), cause));
    } else if (error instanceof RpcAuthException refused) {
      fail("the Ferry driver at " + record.getDriverHost() + ":" + record.getDriverPort()
          + " did not authenticate this executor: " + refused.getMessage());
    } else {
      fail("cannot connect to the Ferry driver at " + record.getDriverHost() + ":" + record.getDriverPort() + ": "
          + error);
    }
  }

  private void connected(LaunchRecord record, DriverConnection connection) {
    if (link != Link.CONNECTING) {
      connection.close("the executor is shutting down");
      return;
    }
    driver = connection;
    connection.closeFuture().whenComplete((why, e) -> executor.execute(() -> {
      String reason = why == null ? String.valueOf(e) : why;
      if (generations != null) {
        generations.failAll("the link to the driver ended: " + reason);
      }
      if (connection.endedByDriverGoodbye()) {
        released(reason);
      } else {
        lost(reason);
      }
    }));
    Path jars = executor.settings().sandbox().resolve(JAR_DIRECTORY);
    ApplicationJars.fetch(connection, jars, DriverTaskHandler.class.getClassLoader(), record.getAppId())
        .whenComplete((loader, error) -> executor.execute(() -> {
          if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            fail("cannot fetch the application's jars from the driver at " + connection.peer() + ": "
                + cause.getMessage());
          } else {
            ready(connection, loader);
          }
        }));
  }

  private void ready(DriverConnection connection, URLClassLoader loader) {
    if (link != Link.CONNECTING) {
      closeQuietly(loader);
      return;
    }
    appLoader = loader;
    generations = new ClassGenerationCache(connection, loader, tag);
    FerryTaskRunner runner = new FerryTaskRunner(new TaskSerializer(loader), connection, generations);
    String executorId = executor.settings().executorId();
    // Fine mode: every Mesos task brings its own cpus, so the agent's accounting already bounds how
    // many run here; the executor's own cpus (ferry.executor.cores) are for the executor, not a
    // limit on its tasks. Sizing the pool by them ran launched tasks one at a time.
    fine = new FineMode(connection, runner, new TaskPool(Integer.MAX_VALUE), executor::execute, executorId,
        hostname());
    coarse = new CoarseMode(connection, runner, executorId, hostname());
    link = Link.READY;
    if (mode == Mode.COARSE) {
      coarseTasks = coarse;
    }
    log.info("{} connected to the driver at {} ({} jar(s)); running tasks in {} mode", tag, connection.peer(),
        connection.welcome().getJarsCount(), mode);
    List<Pending> waiting = new ArrayList<>(pending);
    pending.clear();
    waiting.forEach(p -> dispatch(p.task(), p.control()));
  }

  private void dispatch(TaskInfo task, TaskControl control) {
    if (mode == Mode.COARSE) {
      coarse.launch(task, control);
    } else {
      fine.launch(task, control);
    }
  }

  private void route(Frame frame) {
    if (link != Link.READY) {
      log.debug("{} ignoring a {} frame while {}", tag, frame.getBodyCase(), link);
      return;
    }
    switch (frame.getBodyCase()) {
      case RUN_TASK -> {
        if (mode == Mode.COARSE) {
          coarse.onRunTask(frame.getRunTask());
        } else {
          fine.onRunTask(frame.getRunTask());
        }
      }
      case CANCEL_TASK -> {
        fine.cancel(frame.getCancelTask().getTaskId());
        coarse.cancel(frame.getCancelTask().getTaskId());
      }
      case RELEASE_SLOTS -> coarse.release(frame.getReleaseSlots().getSlotTaskId());
      case CLASSES -> generations.onClasses(frame.getClasses());
      default -> log.warn("{} unexpected {} frame from the driver", tag, frame.getBodyCase());
    }
  }

  /**
   * The driver said goodbye: the application is done, or it let this executor go. That is the
   * normal end of an executor (status 0), not a loss: on a real agent it comes before the agent's
   * SHUTDOWN, so it is what ends every executor of a successful job.
   */
  private void released(String why) {
    if (link == Link.CLOSED || link == Link.FAILED) {
      return;
    }
    link = Link.CLOSED;
    coarseTasks = null;
    failure = "the driver at " + driver.peer() + " has ended this executor's work (" + why + ")";
    pending.forEach(p -> p.control().killed(failure));
    pending.clear();
    log.info("{} {}; exiting", tag, failure);
    executor.finish(failure);
  }

  private void lost(String why) {
    if (link == Link.CLOSED || link == Link.FAILED) {
      return;
    }
    fail("lost the driver at " + driver.peer() + ": " + why);
  }

  /** The driver is unusable: every task fails with {@code reason} and the executor exits. */
  private void fail(String reason) {
    link = Link.FAILED;
    coarseTasks = null;
    failure = reason;
    pending.forEach(p -> p.control().failed(reason));
    pending.clear();
    if (driver != null) {
      driver.close(reason);
    }
    executor.abort(reason);
  }

  @Override
  public void shutdown(String reason) {
    if (link == Link.FAILED || link == Link.CLOSED) {
      return;
    }
    link = Link.CLOSED;
    coarseTasks = null;
    failure = "the executor is shutting down (" + reason + ")";
    pending.forEach(p -> p.control().killed(failure));
    pending.clear();
    if (driver != null) {
      driver.close("executor shutting down: " + reason);
    }
  }

  private String hostname() {
    return subscribed.getAgentInfo().getHostname();
  }

  private String agentId() {
    return subscribed.getAgentInfo().hasId() ? subscribed.getAgentInfo().getId().getValue()
        : executor.settings().agentId().orElse("");
  }

  private static void closeQuietly(URLClassLoader loader) {
    try {
      loader.close();
    } catch (java.io.IOException ignored) {
      // nothing was loaded from it
    }
  }

  /** The link's frames, handed to the core thread (coarse task frames excepted). */
  private final class Frames implements FrameListener {
    @Override
    public void onFrame(Frame frame) {
      CoarseMode direct = coarseTasks;
      if (direct != null) {
        // Coarse tasks skip the core thread: CoarseMode queues them on their slot's pool here.
        switch (frame.getBodyCase()) {
          case RUN_TASK -> {
            direct.onRunTask(frame.getRunTask());
            return;
          }
          case CANCEL_TASK -> {
            direct.cancel(frame.getCancelTask().getTaskId());
            return;
          }
          default -> { }
        }
      }
      executor.execute(() -> route(frame));
    }

    @Override
    public void onClosed(String reason) {
      log.debug("{} the driver link closed: {}", tag, reason);
    }
  }
}
