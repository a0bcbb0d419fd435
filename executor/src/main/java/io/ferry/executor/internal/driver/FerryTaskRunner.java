package io.ferry.executor.internal.driver;

import com.google.protobuf.ByteString;
import io.ferry.api.Task;
import io.ferry.api.TaskSerializer;
import io.ferry.rpc.DriverConnection;
import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.RunTask;
import io.ferry.rpc.proto.TaskResult;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one of the driver's tasks on the calling task thread: deserializes it in the application's
 * class loader (through {@link TaskSerializer}'s filter), runs it, and sends its
 * {@link TaskResult} to the driver over the link (never through Mesos). A failure's stack trace
 * goes to the sandbox's stderr and to the driver; the returned outcome's message is one line.
 */
final class FerryTaskRunner {
  private static final Logger log = LoggerFactory.getLogger(FerryTaskRunner.class);

  /** What became of a task, for its Mesos status (fine mode). */
  record Outcome(TaskResult.Outcome outcome, String message) {}

  private final TaskSerializer serializer;
  private final DriverConnection driver;
  private final ClassGenerationCache generations;

  FerryTaskRunner(TaskSerializer serializer, DriverConnection driver, ClassGenerationCache generations) {
    this.serializer = serializer;
    this.driver = driver;
    this.generations = generations;
  }

  /**
   * @param started called once the task is deserialized, just before it runs (fine mode: TASK_RUNNING)
   * @param ending called once the result is decided, just before it is sent: from then on the
   *     driver may consider the task done (coarse mode counts it no longer as running)
   */
  Outcome run(RunTask run, ExecutorTaskContext context, Runnable started, Runnable ending, String tag) {
    long begin = System.nanoTime();
    TaskResult.Builder result = TaskResult.newBuilder().setTaskId(run.getTaskId());
    String name = run.getName().isEmpty() ? "task " + run.getTaskId() : run.getName();
    Outcome outcome;
    Thread thread = Thread.currentThread();
    ClassLoader previousContextLoader = thread.getContextClassLoader();
    // A task of a class generation (a shell's snippets) is read and run with that generation's
    // loader alone, held for the whole task so the cache cannot drop it meanwhile.
    ClassGenerationCache.Lease lease = run.getClassGeneration() == 0 ? null : generations.acquire(run.getClassGeneration());
    try {
      TaskSerializer reader = serializer;
      if (lease != null) {
        ClassGenerationCache.Loaded loaded = lease.await();
        reader = loaded.serializer();
        thread.setContextClassLoader(loaded.loader());
      }
      Task<?> task = deserialize(reader, run);
      started.run();
      if (Thread.currentThread().isInterrupted() || context.isCancelled()) {
        throw new InterruptedException("cancelled before it started");
      }
      Object value = task.run(context);
      if (context.isCancelled()) {
        throw new InterruptedException("cancelled while running");
      }
      result.setValue(ByteString.copyFrom(serialize(reader, value)));
      outcome = new Outcome(TaskResult.Outcome.SUCCESS, "");
    } catch (Throwable e) {
      if (context.isCancelled() || e instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
        outcome = new Outcome(TaskResult.Outcome.KILLED, name + " was killed");
        log.info("{} {} ({})", tag, outcome.message(), e.toString());
      } else {
        outcome = new Outcome(TaskResult.Outcome.FAILED, name + " failed: " + e);
        log.error("{} {}", tag, outcome.message(), e);
        result.setStackTrace(stackTrace(e));
      }
      result.setMessage(outcome.message());
    } finally {
      thread.setContextClassLoader(previousContextLoader);
      if (lease != null) {
        lease.close();
      }
    }
    result.setOutcome(outcome.outcome()).setRunNanos(System.nanoTime() - begin);
    ending.run();
    driver.send(Frame.newBuilder().setTaskResult(result).build());
    return outcome;
  }

  private static Task<?> deserialize(TaskSerializer serializer, RunTask run) throws Exception {
    Object task;
    try {
      task = serializer.deserialize(run.getPayload().toByteArray());
    } catch (InvalidClassException e) {
      throw new IllegalArgumentException("the task's bytes were refused by the deserialization filter: "
          + e.getMessage(), e);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("class " + e.getMessage() + " is not in the application's jars"
          + (run.getClassGeneration() == 0 ? "" : " nor in class generation " + run.getClassGeneration()), e);
    }
    if (!(task instanceof Task<?> t)) {
      throw new IllegalArgumentException("the payload is a " + (task == null ? "null" : task.getClass().getName())
          + ", not an io.ferry.api.Task");
    }
    return t;
  }

  private static byte[] serialize(TaskSerializer serializer, Object value) throws NotSerializableException {
    try {
      return serializer.serialize(value);
    } catch (NotSerializableException e) {
      throw new IllegalStateException("the task's result is not serializable: " + e.getMessage(), e);
    }
  }

  private static String stackTrace(Throwable e) {
    StringWriter out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
