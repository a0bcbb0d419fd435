package io.ferry.executor.testing;

import io.ferry.mesos.ContentType;
import io.ferry.mesos.local.LocalCluster;
import io.ferry.mesos.local.e2e.RawScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/** A mesos-local cluster and a raw-HTTP scheduler, with helpers to launch the executor as Mesos would. */
public final class MesosLocalFixture implements AutoCloseable {
  public static final Duration WAIT = Duration.ofSeconds(30);

  public final LocalCluster cluster;
  public final RawScheduler scheduler;
  public final Path work;
  public Offer offer;

  public MesosLocalFixture(LocalCluster.Settings settings, Path work) throws Exception {
    this.work = work;
    this.cluster = LocalCluster.start(settings);
    this.scheduler = new RawScheduler(cluster.masterUrl());
  }

  /**
   * One agent; updates the scheduler has not acknowledged are resent after 300 ms (an ACK sent
   * while an agent restarts is lost, as in Mesos), so tests compare updates by uuid.
   */
  public static LocalCluster.Settings settings(Path work) {
    return LocalCluster.Settings.parse("local-cluster[1,4,2048]", work.resolve("cluster"))
        .withAllocationInterval(Duration.ofMillis(100)).withUpdateRetry(Duration.ofMillis(300));
  }

  public void subscribe(boolean checkpoint, FrameworkInfo.Capability.Type... capabilities) throws Exception {
    FrameworkInfo.Builder info = FrameworkInfo.newBuilder().setUser(System.getProperty("user.name"))
        .setName("executor-tests").setCheckpoint(checkpoint).setFailoverTimeout(0);
    for (FrameworkInfo.Capability.Type c : capabilities) {
      info.addCapabilities(FrameworkInfo.Capability.newBuilder().setType(c));
    }
    if (scheduler.subscribe(info.build(), ContentType.JSON) != 200) {
      throw new AssertionError("SUBSCRIBE failed");
    }
    offer = nextOffer();
  }

  public Offer nextOffer() throws InterruptedException {
    return scheduler.next(WAIT, e -> e.getType() == Event.Type.OFFERS).getOffers().getOffers(0);
  }

  /**
   * The offers this scheduler holds, from the events it saw: offered, neither rescinded nor used
   * in an ACCEPT (declining is not done here), oldest first.
   */
  public List<Offer> outstandingOffers() {
    java.util.Map<String, Offer> held = new java.util.LinkedHashMap<>();
    for (Event e : scheduler.seen) {
      if (e.getType() == Event.Type.OFFERS) {
        e.getOffers().getOffersList().forEach(o -> held.put(o.getId().getValue(), o));
      } else if (e.getType() == Event.Type.RESCIND) {
        held.remove(e.getRescind().getOfferId().getValue());
      }
    }
    held.keySet().removeAll(used);
    return List.copyOf(held.values());
  }

  /** Whether the master rescinded the offer. */
  public boolean rescinded(Offer o) {
    return scheduler.seen.stream().anyMatch(e -> e.getType() == Event.Type.RESCIND
        && e.getRescind().getOfferId().equals(o.getId()));
  }

  /** An offer this scheduler holds and that is not one of {@code old}, waiting for one (up to {@link #WAIT}). */
  public Offer heldOfferOtherThan(java.util.Collection<Offer> old) throws Exception {
    java.util.Set<String> oldIds = new java.util.HashSet<>();
    old.forEach(o -> oldIds.add(o.getId().getValue()));
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      for (Offer o : outstandingOffers()) {
        if (!oldIds.contains(o.getId().getValue())) {
          return o;
        }
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("no new offer within " + WAIT + "; held: " + outstandingOffers().stream()
            .map(o -> o.getId().getValue()).toList());
      }
      scheduler.events.poll(20, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
  }

  public static Resource scalar(String name, double value) {
    return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
  }

  /** The executor as a real child process: {@code exec java -cp <test class path> <main>}. */
  public static ExecutorInfo executor(String id, Class<?> main, Environment env) {
    String command = "exec '" + ChildProcess.javaBinary() + "' -Xmx64m -XX:TieredStopAtLevel=1 -cp '"
        + System.getProperty("java.class.path") + "' " + main.getName();
    return ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue(id))
        .setCommand(CommandInfo.newBuilder().setValue(command).setEnvironment(env))
        .addResources(scalar("cpus", 0.1)).addResources(scalar("mem", 64)).build();
  }

  public static TaskInfo task(String id, ExecutorInfo executor, Offer offer, com.google.protobuf.ByteString data) {
    return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id)).setAgentId(offer.getAgentId())
        .addResources(scalar("cpus", 1)).addResources(scalar("mem", 32)).setExecutor(executor).setData(data).build();
  }

  /** Launches {@code tasks} on the current offer. */
  public void launch(TaskInfo... tasks) throws Exception {
    launchOn(offer, tasks);
  }

  /** Offers this scheduler used in an ACCEPT. */
  private final java.util.Set<String> used = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Launches {@code tasks} on {@code on}; the ACCEPT must be answered 202. */
  public void launchOn(Offer on, TaskInfo... tasks) throws Exception {
    used.add(on.getId().getValue());
    org.apache.mesos.v1.Protos.Offer.Operation.Launch.Builder launch =
        org.apache.mesos.v1.Protos.Offer.Operation.Launch.newBuilder();
    for (TaskInfo t : tasks) {
      launch.addTaskInfos(t.toBuilder().setAgentId(on.getAgentId()));
    }
    var answer = scheduler.call(scheduler.callOf(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
        .addOfferIds(on.getId()).addOperations(org.apache.mesos.v1.Protos.Offer.Operation.newBuilder()
            .setType(org.apache.mesos.v1.Protos.Offer.Operation.Type.LAUNCH).setLaunch(launch))).build());
    if (answer.statusCode() != 202) {
      throw new AssertionError("ACCEPT answered " + answer.statusCode() + ": " + answer.body());
    }
  }

  /**
   * The first update for {@code taskId} in {@code state}, in whatever order updates come; every
   * update delivered is acknowledged on the way (Mesos forwards a task's next update only after the
   * scheduler acknowledged the previous one).
   */
  public TaskStatus update(String taskId, TaskState state) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      // Every delivery is acknowledged, retransmissions too: an ACK sent while the agent
      // restarted is lost, and the agent then sends the same update (same uuid) again.
      List<Event> seen = scheduler.seen;
      for (; acked < seen.size(); acked++) {
        Event e = seen.get(acked);
        if (e.getType() == Event.Type.UPDATE) {
          ack(e.getUpdate().getStatus());
        }
      }
      for (TaskStatus s : updates(taskId)) {
        if (s.getState() == state) {
          return s;
        }
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("no " + state + " for " + taskId + " within " + WAIT + "; updates seen: "
            + scheduler.seen.stream().filter(e -> e.getType() == Event.Type.UPDATE).map(e -> e.getUpdate().getStatus())
                .map(st -> st.getTaskId().getValue() + ":" + st.getState() + "(" + st.getReason() + " "
                    + st.getMessage() + ")").toList());
      }
      scheduler.events.poll(20, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
  }

  private int acked; // how many of the scheduler's events were looked at for acknowledgement

  public void ack(TaskStatus s) throws Exception {
    if (s.hasUuid()) {
      scheduler.call(scheduler.callOf(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
          .setAgentId(s.getAgentId()).setTaskId(s.getTaskId()).setUuid(s.getUuid())).build());
    }
  }

  /** Every update the scheduler saw for {@code taskId}. */
  public List<TaskStatus> updates(String taskId) {
    return scheduler.seen.stream().filter(e -> e.getType() == Event.Type.UPDATE)
        .map(e -> e.getUpdate().getStatus()).filter(s -> s.getTaskId().getValue().equals(taskId)).toList();
  }

  public void kill(String taskId) throws Exception {
    scheduler.call(scheduler.callOf(Call.Type.KILL).setKill(Call.Kill.newBuilder()
        .setTaskId(TaskID.newBuilder().setValue(taskId)).setAgentId(offer.getAgentId())).build());
  }

  public void teardown() throws Exception {
    scheduler.call(scheduler.callOf(Call.Type.TEARDOWN).build());
  }

  /** Processes whose working directory is under the cluster's work dir: the executors it started. */
  public List<Long> executorPids() throws Exception {
    String prefix = work.resolve("cluster").toRealPath().toString();
    List<Long> pids = new ArrayList<>();
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      all.forEach(p -> {
        try {
          if (Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd")).toString().startsWith(prefix)) {
            pids.add(p.pid());
          }
        } catch (Exception e) {
          // gone, or not ours to read
        }
      });
    }
    return pids;
  }

  /** Every sandbox's stderr (the fetcher's log, then the executor's), concatenated. */
  public String sandboxStderr() throws Exception {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(work.resolve("cluster"))) {
      for (Path f : files.filter(p -> p.getFileName().toString().equals("stderr") && Files.isRegularFile(p)).toList()) {
        all.append(Files.readString(f));
      }
    }
    return all.toString();
  }

  @Override
  public void close() throws Exception {
    try {
      scheduler.close();
    } finally {
      cluster.close();
    }
  }
}
