package io.ferry.driver.mesos;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * What a {@link SchedulerLink} tells the driver. Every callback runs on the link's one thread,
 * {@code ferry-scheduler-events}, one at a time and in stream order, never on a Netty thread. A
 * callback may call the link (accept, decline, kill...) and may block, at the cost of delaying
 * later events. An exception thrown by a callback is logged; from {@link #update} it also means
 * the update is not acknowledged, so the agent sends it again later.
 */
public interface SchedulerListener {

  /**
   * The master accepted the subscription.
   *
   * @param resubscribed false the first time, true after every reconnection (same framework ID)
   */
  void subscribed(FrameworkID id, MasterInfo master, boolean resubscribed);

  /** Resources to use (accept) or give back (decline); each offer is valid until rescinded or used. */
  void offers(List<Offer> offers);

  /** An offer is no longer valid (its agent went away, or the offer timed out). */
  void rescinded(OfferID offer);

  /**
   * A task's status changed. When this returns, the link ACKNOWLEDGEs the update if it carries a
   * uuid (reconciliation answers carry none and are never acknowledged).
   */
  void update(TaskStatus status);

  /**
   * An executor exited (agent and executor set, and usually its wait status), or an agent was lost
   * (agent only).
   */
  void failure(Optional<AgentID> agent, Optional<ExecutorID> executor, OptionalInt status);

  /** An executor sent the scheduler a message (best effort). */
  void message(AgentID agent, ExecutorID executor, byte[] data);

  /** The event stream was lost; the link is resubscribing (with the same framework ID). */
  void disconnected(String reason);

  /**
   * Fatal: the link has stopped and will send nothing more (framework removed, credentials
   * refused, master unreachable past the registration timeout). The message says what to check.
   */
  void error(String message);
}
