package io.ferry.driver.mesos;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskStatus;

/** A listener that records everything, and the names of the threads it was called on. */
class RecordingListener implements SchedulerListener {

  record Subscribed(FrameworkID id, MasterInfo master, boolean resubscribed) {}

  final List<Subscribed> subscriptions = new CopyOnWriteArrayList<>();
  final List<Offer> offers = new CopyOnWriteArrayList<>();
  final List<OfferID> rescinded = new CopyOnWriteArrayList<>();
  final List<TaskStatus> updates = new CopyOnWriteArrayList<>();
  final List<String> disconnections = new CopyOnWriteArrayList<>();
  final List<String> errors = new CopyOnWriteArrayList<>();
  final List<String> failures = new CopyOnWriteArrayList<>();
  final Set<String> threads = ConcurrentHashMap.newKeySet();

  private void seen() {
    threads.add(Thread.currentThread().getName());
  }

  @Override
  public void subscribed(FrameworkID id, MasterInfo master, boolean resubscribed) {
    seen();
    subscriptions.add(new Subscribed(id, master, resubscribed));
  }

  @Override
  public void offers(List<Offer> list) {
    seen();
    offers.addAll(list);
  }

  @Override
  public void rescinded(OfferID offer) {
    seen();
    rescinded.add(offer);
  }

  @Override
  public void update(TaskStatus status) {
    seen();
    updates.add(status);
  }

  @Override
  public void failure(Optional<AgentID> agent, Optional<ExecutorID> executor, OptionalInt status) {
    seen();
    failures.add(agent.map(AgentID::getValue).orElse("?") + "/" + executor.map(ExecutorID::getValue).orElse("?"));
  }

  @Override
  public void message(AgentID agent, ExecutorID executor, byte[] data) {
    seen();
  }

  @Override
  public void disconnected(String reason) {
    seen();
    disconnections.add(reason);
  }

  @Override
  public void error(String message) {
    seen();
    errors.add(message);
  }

  /** Offers received from now on are counted from here. */
  int offerMark() {
    return offers.size();
  }

  Offer offerAfter(int mark) {
    return offers.get(mark);
  }

  long updatesOf(String taskId, org.apache.mesos.v1.Protos.TaskState state) {
    return updates.stream().filter(u -> u.getTaskId().getValue().equals(taskId) && u.getState() == state).count();
  }
}
