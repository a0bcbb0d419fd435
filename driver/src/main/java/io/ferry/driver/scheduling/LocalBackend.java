package io.ferry.driver.scheduling;

import io.ferry.api.Task;
import io.ferry.api.TaskContext;
import io.ferry.api.TaskSerializer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code local[N]}: tasks run on N threads in the driver's JVM, for quick development. No Mesos, no
 * executor process; tasks and results still go through serialization, so a task that would fail
 * to ship to a cluster fails here too.
 */
public final class LocalBackend implements TaskScheduler.Backend, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalBackend.class);

  private final TaskScheduler scheduler;
  private final int threads;
  private final ExecutorService pool;
  private final Map<Attempt, Thread> running = new ConcurrentHashMap<>();
  private final Map<Attempt, Boolean> cancelled = new ConcurrentHashMap<>();
  private final AtomicInteger free;

  public LocalBackend(TaskScheduler scheduler, int threads) {
    this(scheduler, threads, newPool(threads));
  }

  /** With the threads tasks run on given (tests: a pool whose tasks they start by hand). */
  LocalBackend(TaskScheduler scheduler, int threads, ExecutorService pool) {
    this.scheduler = scheduler;
    this.threads = threads;
    this.free = new AtomicInteger(threads);
    this.pool = pool;
  }

  private static ExecutorService newPool(int threads) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "ferry-local-task-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public synchronized void workArrived() {
    while (free.get() > 0) {
      var attempt = scheduler.nextAttempt("localhost", "local", "local");
      if (attempt.isEmpty()) {
        return;
      }
      free.decrementAndGet();
      pool.execute(() -> run(attempt.get()));
    }
  }

  private void run(Attempt attempt) {
    running.put(attempt, Thread.currentThread());
    try {
      // A kill between dispatch and here found no thread to interrupt, only left the mark: the
      // attempt must not start (it would hold this thread for as long as it runs). kill() marks
      // before it looks for the thread and this looks for the mark after registering the thread,
      // so one of the two always sees the other.
      if (cancelled.containsKey(attempt)) {
        return;
      }
      @SuppressWarnings("unchecked")
      TaskSerializer reader = scheduler.serializer(attempt.classGeneration());
      Task<Object> task = (Task<Object>) reader.deserialize(attempt.payload());
      Object value = task.run(new LocalContext(attempt, cancelled));
      scheduler.succeeded(attempt, reader.serialize(value));
    } catch (Throwable t) {
      if (!cancelled.containsKey(attempt)) {
        log.warn("task {} attempt {} failed", attempt.taskId(), attempt.number(), t);
        scheduler.failed(attempt, TaskFailures.oneLine(t), TaskFailures.stackTrace(t));
      }
    } finally {
      running.remove(attempt);
      cancelled.remove(attempt);
      Thread.interrupted(); // a cancellation must not leak into the next task on this thread
      free.incrementAndGet();
      workArrived();
    }
  }

  @Override
  public void kill(Attempt attempt) {
    cancelled.put(attempt, Boolean.TRUE);
    // Interrupt while the mapping exists: run() clears the flag after removing it, so the
    // interrupt cannot leak into the thread's next task.
    running.computeIfPresent(attempt, (a, thread) -> {
      thread.interrupt();
      return thread;
    });
  }

  public int threads() {
    return threads;
  }

  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record LocalContext(Attempt run, Map<Attempt, Boolean> cancelled) implements TaskContext {
    @Override
    public long taskId() {
      return run.taskId();
    }

    @Override
    public int attempt() {
      return run.number();
    }

    @Override
    public String executorId() {
      return "local";
    }

    @Override
    public String hostname() {
      return "localhost";
    }

    @Override
    public boolean isCancelled() {
      return cancelled.containsKey(run) || Thread.currentThread().isInterrupted();
    }
  }
}
