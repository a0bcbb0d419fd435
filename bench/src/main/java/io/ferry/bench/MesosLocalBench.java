package io.ferry.bench;

import io.ferry.mesos.ContentType;
import io.ferry.mesos.local.LocalCluster;
import io.ferry.mesos.local.e2e.LocalClusterTest;
import io.ferry.mesos.local.e2e.RawScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * Offers-to-launch throughput of mesos-local: a raw-HTTP scheduler launches small tasks on a
 * trivial executor (one per agent, a real child process) into every offer and counts how many
 * tasks per second it sees finished, acknowledging every update. Resources freed by finished tasks
 * come back at the next allocation batch, as on Mesos, so the bound is about
 * (free cpus / task cpus) per agent per allocation interval.
 *
 * <p>Usage: {@code MesosLocalBench WORK_DIR [TASKS]}
 */
public final class MesosLocalBench {

  private static final double TASK_CPUS = 0.25;
  private static final double TASK_MEM = 32;

  public static void main(String[] args) throws Exception {
    Path work = Files.createDirectories(Path.of(args[0]).toAbsolutePath());
    int tasks = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    List<String> rows = new ArrayList<>();
    for (Duration interval : List.of(Duration.ofSeconds(1), Duration.ofMillis(100))) {
      rows.add(run(work.resolve("interval-" + interval.toMillis()), interval, tasks));
    }
    System.out.println("| mesos-local, 2 agents x 4 cpus, tasks of 0.25 cpu | allocation interval | tasks | seconds | tasks/s | bound (free cpus / task cpus / interval) | p50 launch-to-finished ms | p99 ms |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
    rows.forEach(System.out::println);
  }

  private static String run(Path work, Duration interval, int total) throws Exception {
    LocalCluster.Settings settings = LocalCluster.Settings.parse("local-cluster[2,4,4096]", work).withAllocationInterval(interval);
    try (LocalCluster cluster = LocalCluster.start(settings); RawScheduler scheduler = new RawScheduler(cluster.masterUrl())) {
      FrameworkInfo framework = FrameworkInfo.newBuilder().setUser(System.getProperty("user.name")).setName("bench")
          .setFailoverTimeout(0).build();
      if (scheduler.subscribe(framework, ContentType.PROTOBUF) != 200) {
        throw new IllegalStateException("SUBSCRIBE failed");
      }
      Map<String, ExecutorInfo> executors = new HashMap<>();
      Set<String> executorStarted = new HashSet<>();
      Map<String, Long> launchedAt = new HashMap<>();
      List<Long> latencies = new ArrayList<>();
      int launched = 0;
      int finished = 0;
      long start = 0;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (finished < total) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("only " + finished + " of " + total + " tasks finished in 3 minutes");
        }
        Event e = scheduler.next(Duration.ofSeconds(30), ev -> ev.getType() == Event.Type.OFFERS || ev.getType() == Event.Type.UPDATE);
        if (e.getType() == Event.Type.OFFERS) {
          if (start == 0) {
            start = System.nanoTime();
          }
          for (Offer offer : e.getOffers().getOffersList()) {
            String agent = offer.getAgentId().getValue();
            ExecutorInfo executor = executors.computeIfAbsent(agent, a -> LocalClusterTest.trivialExecutor("trivial-" + a));
            double cpus = 0;
            double mem = 0;
            for (var r : offer.getResourcesList()) {
              if (r.getName().equals("cpus")) {
                cpus = r.getScalar().getValue();
              } else if (r.getName().equals("mem")) {
                mem = r.getScalar().getValue();
              }
            }
            if (!executorStarted.contains(agent)) {
              cpus -= 0.1;
              mem -= 32;
            }
            int fit = (int) Math.min(Math.floor(cpus / TASK_CPUS + 1e-9), Math.floor(mem / TASK_MEM));
            fit = Math.min(fit, total - launched);
            Offer.Operation.Launch.Builder launch = Offer.Operation.Launch.newBuilder();
            for (int i = 0; i < fit; i++) {
              String id = "task-" + launched++;
              launchedAt.put(id, System.nanoTime());
              launch.addTaskInfos(TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
                  .setAgentId(offer.getAgentId()).addResources(LocalClusterTest.scalar("cpus", TASK_CPUS))
                  .addResources(LocalClusterTest.scalar("mem", TASK_MEM)).setExecutor(executor));
            }
            if (fit > 0) {
              executorStarted.add(agent);
            }
            scheduler.callAsync(scheduler.callOf(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
                .addOfferIds(offer.getId()).setFilters(Filters.newBuilder().setRefuseSeconds(0))
                .addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH).setLaunch(launch))).build());
          }
        } else {
          TaskStatus s = e.getUpdate().getStatus();
          if (s.hasUuid()) {
            scheduler.callAsync(scheduler.callOf(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
                .setAgentId(s.getAgentId()).setTaskId(s.getTaskId()).setUuid(s.getUuid())).build());
          }
          if (s.getState() == TaskState.TASK_FINISHED) {
            finished++;
            latencies.add(System.nanoTime() - launchedAt.get(s.getTaskId().getValue()));
          } else if (s.getState() != TaskState.TASK_RUNNING) {
            throw new IllegalStateException("task " + s.getTaskId().getValue() + " ended " + s.getState() + ": " + s.getMessage());
          }
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Collections.sort(latencies);
      double bound = 2 * (4 - 0.1) / TASK_CPUS / (interval.toMillis() / 1000.0);
      scheduler.call(scheduler.callOf(Call.Type.TEARDOWN).build());
      Summary.add("mesos-local", "tasks/s, " + interval.toMillis() + " ms allocation", String.format(Locale.ROOT, "%.1f",
          total / seconds), String.format(Locale.ROOT, "bound %.0f", bound), String.format(Locale.ROOT, "%.0f%% of bound",
          100 * total / seconds / bound), "");
      return String.format(Locale.ROOT, "| | %d ms | %d | %.2f | %.1f | %.0f | %.0f | %.0f |", interval.toMillis(), total, seconds,
          total / seconds, bound, latencies.get(latencies.size() / 2) / 1e6, latencies.get((int) (latencies.size() * 0.99)) / 1e6);
    }
  }
}
