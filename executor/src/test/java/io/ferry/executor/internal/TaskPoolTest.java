package io.ferry.executor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TaskPoolTest {

  @Test
  void runsAtMostSlotsAtOnceOnNamedThreads() throws Exception {
    TaskPool pool = new TaskPool(2);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(5);
    BlockingQueue<String> names = new ArrayBlockingQueue<>(5);
    for (int i = 0; i < 5; i++) {
      pool.submit(() -> {
        names.add(Thread.currentThread().getName());
        most.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        running.decrementAndGet();
        done.countDown();
      });
    }
    assertThat(names.poll(10, TimeUnit.SECONDS)).startsWith("ferry-executor-task-");
    assertThat(names.poll(10, TimeUnit.SECONDS)).isNotNull();
    assertThat(names.poll(200, TimeUnit.MILLISECONDS)).as("a third task while two slots are busy").isNull();
    release.countDown();
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(most.get()).isEqualTo(2);
  }

  @Test
  void aTaskInterruptedBeforeItStartsStartsInterrupted() throws Exception {
    TaskPool pool = new TaskPool(1);
    CountDownLatch hold = new CountDownLatch(1);
    pool.submit(() -> {
      try {
        hold.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    BlockingQueue<Boolean> sawInterrupt = new ArrayBlockingQueue<>(1);
    TaskPool.Running queued = pool.submit(() -> sawInterrupt.add(Thread.currentThread().isInterrupted()));
    queued.interrupt();
    hold.countDown();
    assertThat(sawInterrupt.poll(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void anAbandonedTaskGivesItsSlotToTheNext() throws Exception {
    TaskPool pool = new TaskPool(1);
    CountDownLatch stuck = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    TaskPool.Running stubborn = pool.submit(() -> {
      started.countDown();
      while (stuck.getCount() > 0) {
        try {
          stuck.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
          // ignores interruption, as a badly written task would
        }
      }
    });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    CountDownLatch next = new CountDownLatch(1);
    pool.submit(next::countDown);
    stubborn.interrupt();
    assertThat(next.await(200, TimeUnit.MILLISECONDS)).as("the slot is still taken").isFalse();
    stubborn.abandon();
    assertThat(next.await(10, TimeUnit.SECONDS)).isTrue();
    stuck.countDown();
  }

  @Test
  void theThreadThatFinishesABodyRunsTheNextWaitingOneItself() throws Exception {
    TaskPool pool = new TaskPool(1);
    CountDownLatch hold = new CountDownLatch(1);
    BlockingQueue<String> names = new ArrayBlockingQueue<>(3);
    Runnable body = () -> {
      names.add(Thread.currentThread().getName());
      try {
        hold.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    for (int i = 0; i < 3; i++) {
      pool.submit(body); // one runs, two wait behind it
    }
    String first = names.poll(10, TimeUnit.SECONDS);
    hold.countDown();
    // No hand-off to another thread per queued task: the slot's thread goes on with the queue.
    assertThat(names.poll(10, TimeUnit.SECONDS)).isEqualTo(first);
    assertThat(names.poll(10, TimeUnit.SECONDS)).isEqualTo(first);
  }

  @Test
  void aBodyThatThrowsFreesItsSlotForTheNext() throws Exception {
    TaskPool pool = new TaskPool(1);
    CountDownLatch hold = new CountDownLatch(1);
    pool.submit(() -> {
      try {
        hold.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("the body's own failure");
    });
    CountDownLatch ran = new CountDownLatch(2);
    pool.submit(ran::countDown);
    pool.submit(ran::countDown);
    hold.countDown();
    assertThat(ran.await(10, TimeUnit.SECONDS)).as("both waiting bodies ran after the first threw").isTrue();
  }
}
