package io.ferry.driver.backend;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.Resource;

/**
 * The GPUs the application's Mesos tasks hold, never more than {@code ferry.mesos.gpus.max}: taken
 * out of an offer per task as it is built, given back when the task ends or its launch is refused
 * (Spark's {@code totalGpusAcquired} and {@code gpusByTaskId}). GPUs are whole devices: a task takes
 * whole GPUs only.
 *
 * <p>How they are split: a coarse slot task takes every GPU of its offer up to what is left of the
 * cap; a fine-mode task takes one while the cap allows; a fine-mode executor takes none. With a cap
 * of 0 nothing is taken (and Mesos offers no agent with GPUs to the framework).
 *
 * <p>Thread-safe: tasks are built under the backends' locks, ended on the events thread.
 */
final class GpuLedger {
  private final int max;
  private final Map<String, Integer> byTask = new HashMap<>();
  private int held;

  GpuLedger(int max) {
    this.max = max;
  }

  /**
   * Takes up to {@code most} whole GPUs out of {@code free} for the Mesos task {@code mesosTaskId},
   * as many as the offer has and the cap leaves; empty when none.
   */
  synchronized List<Resource> take(OfferResources free, String mesosTaskId, int most) {
    int count = (int) Math.min(Math.min(Math.floor(free.gpus() + ExecutorNeeds.EPSILON), most), max - held);
    if (count <= 0) {
      return List.of();
    }
    held += count;
    byTask.merge(mesosTaskId, count, Integer::sum);
    return free.takeGpus(count);
  }

  /** The task ended (or was never launched): its GPUs count no more. */
  synchronized void release(String mesosTaskId) {
    Integer count = byTask.remove(mesosTaskId);
    if (count != null) {
      held -= count;
    }
  }

  /** GPUs held now by tasks not known to have ended. */
  synchronized int held() {
    return held;
  }
}
