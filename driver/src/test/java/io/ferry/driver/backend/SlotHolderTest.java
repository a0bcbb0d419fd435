package io.ferry.driver.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How many tasks coarse mode sends ahead to a slot: about a millisecond of work, within the cap. */
@Timeout(10)
class SlotHolderTest {
  private static SlotHolder holder(long runNanos, int results) {
    SlotHolder h = new SlotHolder("S0", "e-1", "slots-1", 2);
    for (int i = 0; i < results; i++) {
      h.ran(runNanos);
    }
    return h;
  }

  @Test
  void oneTaskPerSlotUntilTheFirstResultSaysHowLongTasksTake() {
    assertThat(holder(0, 0).tasksPerSlot(16)).isEqualTo(1);
  }

  @Test
  void tasksOfMicrosecondsGoAheadUpToTheCap() {
    assertThat(holder(TimeUnit.MICROSECONDS.toNanos(10), 5).tasksPerSlot(16)).isEqualTo(16);
    assertThat(holder(TimeUnit.MICROSECONDS.toNanos(10), 5).tasksPerSlot(1)).as("the cap of 1: no task ahead").isEqualTo(1);
  }

  @Test
  void aboutOneMillisecondOfWorkIsQueuedBehindTheRunningTask() {
    assertThat(holder(TimeUnit.MICROSECONDS.toNanos(250), 5).tasksPerSlot(16)).isEqualTo(5);
  }

  @Test
  void tasksLongerThanAMillisecondGoOneAtATime() {
    assertThat(holder(TimeUnit.MILLISECONDS.toNanos(1), 5).tasksPerSlot(16)).isEqualTo(2);
    assertThat(holder(TimeUnit.MILLISECONDS.toNanos(3), 5).tasksPerSlot(16)).isEqualTo(1);
    assertThat(holder(TimeUnit.SECONDS.toNanos(2), 5).tasksPerSlot(16)).isEqualTo(1);
  }

  @Test
  void theAverageFollowsTasksThatGetLonger() {
    SlotHolder h = holder(TimeUnit.MICROSECONDS.toNanos(10), 20);
    assertThat(h.tasksPerSlot(16)).isEqualTo(16);
    for (int i = 0; i < 40; i++) {
      h.ran(TimeUnit.MILLISECONDS.toNanos(50));
    }
    assertThat(h.tasksPerSlot(16)).isEqualTo(1);
  }
}
