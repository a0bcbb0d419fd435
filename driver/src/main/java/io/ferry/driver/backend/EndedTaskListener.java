package io.ferry.driver.backend;

import io.ferry.driver.mesos.SchedulerListener;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands every event to the backend; first, when Mesos reports a task's end, whichever mode built
 * the task: gives its GPUs back to the {@link GpuLedger}, and logs a container that failed to launch
 * ({@code REASON_CONTAINER_LAUNCH_FAILED}: an unknown CNI network, a failed fetch, an image that
 * cannot be pulled), which a coarse slot that ran no Ferry task would otherwise end without a word.
 * Each distinct message is logged at WARN once (a launch that fails on every offer would repeat it),
 * then at DEBUG.
 */
final class EndedTaskListener implements SchedulerListener {
  private static final Logger log = LoggerFactory.getLogger(EndedTaskListener.class);
  /** Distinct launch failures logged at WARN; beyond this many, all go to DEBUG. */
  private static final int MAX_WARNED = 64;

  private final SchedulerListener backend;
  private final GpuLedger gpus;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  EndedTaskListener(SchedulerListener backend, GpuLedger gpus) {
    this.backend = backend;
    this.gpus = gpus;
  }

  @Override
  public void update(TaskStatus status) {
    if (MesosBackend.isTerminal(status.getState())) {
      gpus.release(status.getTaskId().getValue());
      if (status.getReason() == TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED) {
        launchFailed(status);
      }
    }
    backend.update(status);
  }

  private void launchFailed(TaskStatus status) {
    String what = MesosBackend.describe(status);
    boolean first = warned.size() < MAX_WARNED && warned.add(what);
    String line = "[task={} agent={}] Mesos could not launch the executor's container: {} (check the executor"
        + " settings: ferry.executor.uri, ferry.mesos.executor.home, ferry.mesos.executor.docker.image,"
        + " ferry.mesos.network.name)";
    if (first) {
      log.warn(line, status.getTaskId().getValue(), status.getAgentId().getValue(), what);
    } else {
      log.debug(line, status.getTaskId().getValue(), status.getAgentId().getValue(), what);
    }
  }

  @Override
  public void subscribed(FrameworkID id, MasterInfo master, boolean resubscribed) {
    backend.subscribed(id, master, resubscribed);
  }

  @Override
  public void offers(List<Offer> offers) {
    backend.offers(offers);
  }

  @Override
  public void rescinded(OfferID offer) {
    backend.rescinded(offer);
  }

  @Override
  public void failure(Optional<AgentID> agent, Optional<ExecutorID> executor, OptionalInt status) {
    backend.failure(agent, executor, status);
  }

  @Override
  public void message(AgentID agent, ExecutorID executor, byte[] data) {
    backend.message(agent, executor, data);
  }

  @Override
  public void disconnected(String reason) {
    backend.disconnected(reason);
  }

  @Override
  public void error(String message) {
    backend.error(message);
  }
}
