package io.ferry.executor;

import io.ferry.executor.internal.DirectoryLogConfig;
import io.ferry.executor.internal.ExecutorCore;
import io.ferry.executor.internal.StartupWarmUp;
import io.ferry.executor.internal.Tags;
import io.ferry.executor.internal.driver.DriverTaskHandler;
import io.ferry.mesos.http.MesosApi;
import io.ferry.mesos.http.MesosClient;
import io.ferry.mesos.http.MesosClientConfig;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.LoggerFactory;

/**
 * The Ferry executor: the process a Mesos agent starts ({@code bin/ferry-executor}). It speaks
 * Mesos's v1 executor HTTP API to its agent and runs the tasks its {@link TaskHandler} is given;
 * {@link #main} runs the driver's tasks (fine- or coarse-grained, per the launch record).
 *
 * <pre>{@code
 * int code = FerryExecutor.run(System.getenv(), context -> myHandler, System.err);
 * System.exit(code);
 * }</pre>
 */
public final class FerryExecutor {
  private FerryExecutor() {}

  public static void main(String[] args) {
    // Before the first logger: conf/ is last on the class path (see DirectoryLogConfig).
    DirectoryLogConfig.apply();
    StartupWarmUp.start();
    System.exit(run(System.getenv(), DriverTaskHandler::new, System.err));
  }

  /**
   * Runs an executor until it is done: parses the environment, subscribes, runs tasks through the
   * handler, and returns the exit code (0 after SHUTDOWN or the driver's goodbye, 1 when the agent or the driver was lost
   * or the agent refused us, 2 for a bad environment, reported in one line on {@code err}).
   */
  public static int run(Map<String, String> environment, Function<ExecutorContext, TaskHandler> handlers,
      PrintStream err) {
    ExecutorSettings settings;
    try {
      settings = ExecutorSettings.fromEnvironment(environment);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return ExecutorCore.EXIT_USAGE;
    }
    MesosClientConfig config = MesosClientConfig.builder(URI.create("http://" + settings.agentEndpoint()))
        .authorization(settings.authorization())
        .connectTimeout(Duration.ofSeconds(5))
        .requestTimeout(Duration.ofSeconds(30))
        .build();
    MesosClient<Call, Event> client = MesosClient.create(MesosApi.EXECUTOR, config);
    ExecutorCore core = new ExecutorCore(settings, client);
    try {
      return core.start(handlers.apply(core)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExecutorCore.EXIT_LOST;
    } catch (ExecutionException | RuntimeException e) {
      LoggerFactory.getLogger(FerryExecutor.class)
          .error("{} the executor failed", Tags.executor(settings.executorId()), e);
      return ExecutorCore.EXIT_LOST;
    } finally {
      core.close();
    }
  }
}
