package io.ferry.driver.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.api.TaskSerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LocalBackendTest {
  static final AtomicInteger STARTED = new AtomicInteger();

  /** Runs what it is given only when the test says so: the gap between dispatch and start, held open. */
  private static final class HeldPool extends AbstractExecutorService {
    final List<Runnable> held = new ArrayList<>();

    @Override
    public void execute(Runnable command) {
      held.add(command);
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return false;
    }

    @Override
    public boolean isTerminated() {
      return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }

  /**
   * A task cancelled after it was handed to a thread but before it started never starts: it would
   * otherwise hold one of local[N]'s threads for as long as it runs (RunAllFailureTest's second
   * round once found only one of its two threads free).
   */
  @Test
  void aTaskKilledBetweenDispatchAndStartNeverRuns() throws Exception {
    STARTED.set(0);
    TaskSerializer serializer = new TaskSerializer(getClass().getClassLoader());
    TaskScheduler scheduler = new TaskScheduler(new TaskScheduler.Policy(3, 2, Duration.ofHours(1)), serializer,
        Runnable::run);
    HeldPool pool = new HeldPool();
    LocalBackend backend = new LocalBackend(scheduler, 1, pool);
    scheduler.attach(backend);
    TaskFuture<Integer> future = scheduler.submit(ctx -> STARTED.incrementAndGet(), "slow");
    assertThat(pool.held).hasSize(1);

    future.cancel(true);
    pool.held.remove(0).run();

    assertThat(STARTED.get()).as("the task's body ran").isZero();
    assertThat(future.isCancelled()).isTrue();
    assertThat(scheduler.progress().running()).isZero();
  }
}
