package io.ferry.executor.internal;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;

/**
 * What the agent has not acknowledged yet, and so must hear again on every SUBSCRIBE (the
 * digest's "ACK contract"): every status update until its ACKNOWLEDGED arrives, and every
 * TaskInfo until one of its task's updates is acknowledged. An acknowledged update is gone for
 * good: it is never sent again (the agent would forward it again after its stream was
 * collected). Insertion order is kept, so a replay keeps each task's updates in order.
 *
 * <p>Confined to the core thread; not thread-safe.
 */
public final class StatusUpdateLedger {
  private final Map<ByteString, Call.Update> updates = new LinkedHashMap<>();
  private final Map<TaskID, TaskInfo> tasks = new LinkedHashMap<>();

  /** A task was delivered: keep its TaskInfo until one of its updates is acknowledged. */
  public void launched(TaskInfo task) {
    tasks.put(task.getTaskId(), task);
  }

  /** Keeps an update (which must carry its uuid) until acknowledged; returns it as an UPDATE body. */
  public Call.Update record(TaskStatus status) {
    if (!status.hasUuid()) {
      throw new IllegalArgumentException("status of " + status.getTaskId().getValue() + " has no uuid");
    }
    Call.Update update = Call.Update.newBuilder().setStatus(status).build();
    updates.put(status.getUuid(), update);
    return update;
  }

  /**
   * ACKNOWLEDGED{task_id, uuid}: forgets the update and the task's TaskInfo.
   *
   * @return false when the uuid was not (or no longer) unacknowledged: a repeated ACK
   */
  public boolean acknowledge(TaskID task, ByteString uuid) {
    Call.Update removed = updates.remove(uuid);
    if (removed == null) {
      return false;
    }
    tasks.remove(removed.getStatus().getTaskId());
    tasks.remove(task);
    return true;
  }

  /** Forgets an update the agent refused outright (400): sending it again would fail again. */
  public void discard(ByteString uuid) {
    updates.remove(uuid);
  }

  public boolean isUnacknowledged(ByteString uuid) {
    return updates.containsKey(uuid);
  }

  /** True when every update sent so far has been acknowledged. */
  public boolean allAcknowledged() {
    return updates.isEmpty();
  }

  public int unacknowledgedCount() {
    return updates.size();
  }

  /** The SUBSCRIBE body: both lists, in the order they were recorded. */
  public Call.Subscribe subscribe() {
    return Call.Subscribe.newBuilder().addAllUnacknowledgedTasks(new ArrayList<>(tasks.values()))
        .addAllUnacknowledgedUpdates(new ArrayList<>(updates.values())).build();
  }

  /** The uuids of the updates a SUBSCRIBE body carries. */
  public static List<ByteString> uuids(Call.Subscribe subscribe) {
    return subscribe.getUnacknowledgedUpdatesList().stream().map(u -> u.getStatus().getUuid()).toList();
  }
}
