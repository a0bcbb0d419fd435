package io.ferry.bench;

import io.ferry.driver.FerryContext;
import io.ferry.mesos.local.LocalCluster;
import io.ferry.mesos.local.MasterState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Elastic coarse mode (issue 17) side by side with the two modes a Mesos user picks today: static
 * coarse (fast, holds its cores for its whole life) and fine-grained (gives cores back at once, pays
 * a Mesos launch per task). Applications are {@link FerryContext}s in this JVM, each its own Mesos
 * framework, on one {@code local-cluster[2,4,1024]} reached as {@code mesos://}; coarse executors
 * have 2 cores (4 fit the cluster); tasks are {@link SleepTask}s of 200 ms, so a task holds a core
 * as real work does. Cores held are what mesos-local's master reports as a framework's used cpus,
 * sampled every 100 ms.
 *
 * <ol>
 *   <li><b>B arrives during A's pause</b>: A's burst takes the cluster, A pauses; B arrives with 40
 *       tasks. Time to B's first result and to its last. A ends after {@value #PAUSE_SECONDS} s of
 *       pause if B has not finished (static coarse: B starves until then).
 *   <li><b>Two busy applications</b>: A, busy, holds the cluster; B starts busy. Time until each holds
 *       at least half the cpus (elastic: with {@code executorMaxLifetime} {@value #LIFETIME_SECONDS} s),
 *       given up after {@value #CONVERGE_LIMIT_SECONDS} s.
 *   <li><b>Idle cores between bursts</b>: one application, a burst, {@value #GAP_SECONDS} s idle, a
 *       second burst: core-seconds held during the gap, and the second burst's time (elastic pays
 *       executor starts there).
 *   <li><b>Throughput</b>: no-op tasks at 1024 in flight on {@code local-cluster[2,2,1024]} with
 *       elasticity on and off at the same executor count (elastic with {@code minExecutors=2}), so
 *       that only the elastic bookkeeping differs: two unmeasured applications, then four of each
 *       in the order on, off, off, on, off, on, on, off.
 * </ol>
 *
 * <p>Elastic mode runs with {@code executorIdleTimeout} {@value #IDLE_SECONDS} s (the default, 60 s,
 * would make every row a minute longer and change nothing but that minute) and the other defaults.
 *
 * <p>Usage: {@code ElasticBench DIST_DIR WORK_DIR [THROUGHPUT_TASKS]}
 */
public final class ElasticBench {
  static final String CLUSTER = "local-cluster[2,4,1024]";
  static final int IDLE_SECONDS = 5;
  static final int PAUSE_SECONDS = 30;
  static final int LIFETIME_SECONDS = 5;
  static final int CONVERGE_LIMIT_SECONDS = 40;
  static final int GAP_SECONDS = 20;
  static final long TASK_MILLIS = 200;
  static final double CLUSTER_CPUS = 8;

  /** The modes compared; elastic is Ferry's new one. */
  enum Mode {
    ELASTIC("elastic coarse"),
    STATIC("static coarse"),
    FINE("fine-grained");

    final String label;

    Mode(String label) {
      this.label = label;
    }
  }

  private final Path work;
  private final String archiveUri;
  private final Path jar;
  private int apps;

  private ElasticBench(Path work, Path archive, Path jar) {
    this.work = work;
    this.archiveUri = archive.toString();
    this.jar = jar;
  }

  public static void main(String[] args) throws Exception {
    Path dist = Path.of(args[0]).toAbsolutePath();
    Path work = Files.createDirectories(Path.of(args[1]).toAbsolutePath());
    int throughputTasks = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
    ElasticBench bench = new ElasticBench(work, ThroughputBench.archive(dist, work), AppJar.build(work.resolve("app")));
    System.out.println("cluster: " + CLUSTER + " (8 cpus), coarse executors of 2 cores, tasks of " + TASK_MILLIS
        + " ms; elastic: executorIdleTimeout " + IDLE_SECONDS + "s, other settings their defaults");
    // -Dbench.elastic.scenarios=throughput runs that part alone.
    List<String> scenarios = List.of(System.getProperty("bench.elastic.scenarios", "arrivals,busy,gaps,throughput").split(","));
    if (scenarios.contains("arrivals")) {
      bench.arrivals();
    }
    if (scenarios.contains("busy")) {
      bench.busy();
    }
    if (scenarios.contains("gaps")) {
      bench.gaps();
    }
    if (scenarios.contains("throughput")) {
      bench.throughput(throughputTasks);
    }
  }

  // ---- 1: B arrives during A's pause -------------------------------------------------------

  private void arrivals() throws Exception {
    System.out.println();
    System.out.println("| B arrives during A's pause | A's cpus as its burst ended | B: first result s | B: 40 tasks done s | A ended s |");
    System.out.println("| --- | --- | --- | --- | --- |");
    Map<Mode, Double> first = new HashMap<>();
    for (Mode mode : Mode.values()) {
      try (LocalCluster cluster = cluster(mode, "arrive")) {
        FerryContext a = FerryContext.create(settings(cluster, mode, "a"));
        try {
          burst(a, 160);
          double aCpus = MasterState.used(cluster, name("a"), "cpus");
          long arrived = System.nanoTime();
          double aEnded = Double.NaN;
          try (FerryContext b = FerryContext.create(settings(cluster, mode, "b"))) {
            AtomicLong firstResult = new AtomicLong();
            List<CompletableFuture<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
              CompletableFuture<Integer> f = b.submit("sleep", new SleepTask(i, TASK_MILLIS));
              f.thenRun(() -> firstResult.compareAndSet(0, System.nanoTime()));
              results.add(f);
            }
            CompletableFuture<Void> all = CompletableFuture.allOf(results.toArray(CompletableFuture[]::new));
            try {
              all.get(PAUSE_SECONDS, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException starved) {
              a.close(); // A's pause ends with A: its executors go
              aEnded = seconds(arrived);
              all.get(120, TimeUnit.SECONDS);
            }
            double allDone = seconds(arrived);
            check(results);
            double firstS = (firstResult.get() - arrived) / 1e9;
            first.put(mode, firstS);
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.2f | %.2f | %s |%n", mode.label, aCpus, firstS, allDone,
                Double.isNaN(aEnded) ? "still paused" : String.format(Locale.ROOT, "%.2f (after %d s of pause)", aEnded, PAUSE_SECONDS));
          }
        } finally {
          a.close();
        }
      }
    }
    System.out.println();
    System.out.println("B arrives: B's FerryContext is created when A's burst has finished; times from then. Static coarse: A"
        + " holds every core while paused, so B gets its first core when A ends.");
    Summary.add("elastic", "B's first result after arriving during A's pause", seconds(first.get(Mode.ELASTIC)),
        "static coarse " + seconds(first.get(Mode.STATIC)) + "; fine " + seconds(first.get(Mode.FINE)),
        String.format(Locale.ROOT, "%.2fx static", first.get(Mode.ELASTIC) / first.get(Mode.STATIC)),
        "within the idle timeout (" + IDLE_SECONDS + " s) + a bounded delay");
  }

  // ---- 2: two busy applications ------------------------------------------------------------

  private void busy() throws Exception {
    System.out.println();
    System.out.println("| two busy applications | A's cpus before B | to equal shares s | B's tasks done by then | mean cpus A / B over "
        + CONVERGE_LIMIT_SECONDS + " s |");
    System.out.println("| --- | --- | --- | --- | --- |");
    Map<Mode, Double> converged = new HashMap<>();
    Map<Mode, Double> meanB = new HashMap<>();
    for (Mode mode : Mode.values()) {
      try (LocalCluster cluster = cluster(mode, "busy")) {
        Map<String, String> aSettings = settings(cluster, mode, "a");
        Map<String, String> bSettings = settings(cluster, mode, "b");
        if (mode == Mode.ELASTIC) {
          aSettings.put("ferry.dynamicAllocation.executorMaxLifetime", LIFETIME_SECONDS + "s");
          bSettings.put("ferry.dynamicAllocation.executorMaxLifetime", LIFETIME_SECONDS + "s");
        }
        FerryContext a = FerryContext.create(aSettings);
        Busy aBusy = new Busy(a, 32);
        try {
          waitFor(60, () -> MasterState.used(cluster, name("a"), "cpus") >= CLUSTER_CPUS);
          double aCpus = MasterState.used(cluster, name("a"), "cpus");
          FerryContext b = FerryContext.create(bSettings);
          Busy bBusy = new Busy(b, 32);
          try {
            // The whole window is sampled: the first sample at which each holds half the cpus, and
            // each one's mean cpus over the window (fine mode's shares move with every task).
            long started = System.nanoTime();
            Map<String, Double> cpus = MasterState.usedByName(cluster, "cpus");
            HeldCpus aHeld = new HeldCpus(name("a"), started, cpus);
            HeldCpus bHeld = new HeldCpus(name("b"), started, cpus);
            double shares = Double.NaN;
            long bDone = 0;
            while (System.nanoTime() - started < CONVERGE_LIMIT_SECONDS * 1_000_000_000L) {
              Thread.sleep(100);
              long now = System.nanoTime();
              cpus = MasterState.usedByName(cluster, "cpus"); // one read: both of the same moment
              double aNow = aHeld.sample(now, cpus);
              double bNow = bHeld.sample(now, cpus);
              if (Double.isNaN(shares) && aNow >= CLUSTER_CPUS / 2 && bNow >= CLUSTER_CPUS / 2) {
                shares = seconds(started);
                bDone = bBusy.done();
              }
            }
            // A ends first: with static coarse, B's tasks in flight run only once A's executors are gone.
            aBusy.stop();
            a.close();
            bBusy.stop();
            converged.put(mode, shares);
            meanB.put(mode, bHeld.mean());
            System.out.printf(Locale.ROOT, "| %s | %.0f | %s | %s | %.1f / %.1f |%n", mode.label, aCpus,
                Double.isNaN(shares) ? "not within " + CONVERGE_LIMIT_SECONDS + " s" : String.format(Locale.ROOT, "%.2f", shares),
                Double.isNaN(shares) ? "-" : String.valueOf(bDone), aHeld.mean(), bHeld.mean());
          } finally {
            bBusy.close();
            b.close();
          }
        } finally {
          aBusy.close();
          a.close();
        }
      }
    }
    System.out.println();
    System.out.println("two busy: each application keeps 32 tasks in flight; B starts once A holds the cluster; equal shares:"
        + " the first sample at which both hold at least 4 of the 8 cpus; mean cpus: over the " + CONVERGE_LIMIT_SECONDS
        + " s after B starts (4 / 4 is an equal share). Elastic: executorMaxLifetime " + LIFETIME_SECONDS + "s (off by default).");
    Double elastic = converged.get(Mode.ELASTIC);
    Summary.add("elastic", "two busy applications to equal shares, max lifetime " + LIFETIME_SECONDS + " s", seconds(elastic),
        "static coarse " + seconds(converged.get(Mode.STATIC)) + "; fine " + seconds(converged.get(Mode.FINE)),
        String.format(Locale.ROOT, "B's mean cpus: %.1f (static %.1f, fine %.1f)", meanB.get(Mode.ELASTIC),
            meanB.get(Mode.STATIC), meanB.get(Mode.FINE)),
        "within two lifetimes + a bounded delay");
  }

  // ---- 3: idle cores between bursts --------------------------------------------------------

  private void gaps() throws Exception {
    System.out.println();
    System.out.println("| idle between bursts | first burst s | cpus held, gap start | core-seconds held in the " + GAP_SECONDS
        + " s gap | cpus held, gap end | second burst s |");
    System.out.println("| --- | --- | --- | --- | --- | --- |");
    Map<Mode, Double> idle = new HashMap<>();
    for (Mode mode : Mode.values()) {
      try (LocalCluster cluster = cluster(mode, "gap"); FerryContext a = FerryContext.create(settings(cluster, mode, "a"))) {
        String aName = name("a");
        long t = System.nanoTime();
        burst(a, 160);
        double firstBurst = seconds(t);
        long gapStart = System.nanoTime();
        HeldCpus held = new HeldCpus(aName, gapStart, MasterState.usedByName(cluster, "cpus"));
        double atStart = held.now();
        while (System.nanoTime() - gapStart < GAP_SECONDS * 1_000_000_000L) {
          Thread.sleep(100);
          held.sample(System.nanoTime(), MasterState.usedByName(cluster, "cpus"));
        }
        t = System.nanoTime();
        burst(a, 160);
        double second = seconds(t);
        idle.put(mode, held.coreSeconds());
        System.out.printf(Locale.ROOT, "| %s | %.2f | %.0f | %.1f | %.0f | %.2f |%n", mode.label, firstBurst, atStart,
            held.coreSeconds(), held.now(), second);
      }
    }
    System.out.println();
    System.out.println("idle: one application, 160 tasks, " + GAP_SECONDS + " s with nothing to run, 160 tasks again; a burst's"
        + " time includes growing (elastic) or starting executors. Core-seconds: used cpus in mesos-local's state x time.");
    Summary.add("elastic", "idle core-seconds held in a " + GAP_SECONDS + " s gap between bursts",
        String.format(Locale.ROOT, "%.1f", idle.get(Mode.ELASTIC)),
        String.format(Locale.ROOT, "static coarse %.1f; fine %.1f", idle.get(Mode.STATIC), idle.get(Mode.FINE)),
        String.format(Locale.ROOT, "%.2fx static", idle.get(Mode.ELASTIC) / idle.get(Mode.STATIC)), "less than static");
  }

  // ---- 4: throughput on and off ------------------------------------------------------------

  private void throughput(int tasks) throws Exception {
    if (tasks <= 0) {
      return;
    }
    System.out.println();
    System.out.println("| coarse no-op tasks, 1024 in flight, " + ThroughputBench.CLUSTER + " | round | tasks | seconds | tasks/s |");
    System.out.println("| --- | --- | --- | --- | --- |");
    Map<Boolean, List<Double>> rates = new HashMap<>(Map.of(true, new ArrayList<>(), false, new ArrayList<>()));
    // Two first, unmeasured applications (one each way) warm this JVM's compiler, the driver's side:
    // without them the first measured application was 30-45% slower than the last. Then on and off
    // in the order ABBA BAAB, so that a drift that is left (linear or not) falls on both alike.
    boolean[] order = {false, true, true, false, false, true, false, true, true, false};
    int warmUps = 2;
    for (int round = 0; round < order.length; round++) {
      boolean elastic = order[round];
      Map<String, String> conf = ThroughputBench.conf(work, Path.of(archiveUri), jar, "bench-elastic-tput-" + round);
      conf.put("ferry.mesos.coarse", "true");
      conf.put("ferry.dynamicAllocation.enabled", String.valueOf(elastic));
      if (elastic) {
        conf.put("ferry.dynamicAllocation.minExecutors", "2"); // the same 2 executors as static coarse
      }
      try (FerryContext ferry = FerryContext.create(conf)) {
        ThroughputBench.run(ferry, 8, 8);
        if (!waitFor(60, () -> ferry.executorCounts().orElseThrow().live() == 2)) {
          throw new IllegalStateException("two executors did not start within 60 s: " + ferry.executorCounts());
        }
        ThroughputBench.run(ferry, Math.min(tasks, 50_000), 256); // warm-up of both sides
        ThroughputBench.run(ferry, Math.min(tasks, 20_000), 1024);
        var p = ThroughputBench.run(ferry, tasks, 1024);
        String label = (elastic ? "elasticity on (minExecutors=2)" : "elasticity off")
            + (round < warmUps ? ", warm-up (not counted)" : "");
        if (round >= warmUps) {
          rates.get(elastic).add(p.tasksPerSecond());
        }
        System.out.printf(Locale.ROOT, "| %s | %d | %d | %.2f | %.0f |%n", label, round, tasks, p.seconds(), p.tasksPerSecond());
      }
    }
    double on = rates.get(true).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double off = rates.get(false).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double change = 100 * (on - off) / off;
    System.out.println();
    System.out.printf(Locale.ROOT, "throughput: mean of 4 each, %.0f tasks/s on, %.0f off: %+.1f%%; each application warms up"
        + " with 50,000 tasks at 256 in flight and 20,000 at 1024 before the measured 1024%n", on, off, change);
    Summary.add("elastic", "coarse tasks/s at 1024 in flight, elasticity on (same executor count)",
        String.format(Locale.ROOT, "%.0f", on), String.format(Locale.ROOT, "off %.0f", off),
        String.format(Locale.ROOT, "%+.1f%%", change), "drop <= 5%: " + (change >= -5 ? "met" : "not met"));
  }

  // ---- helpers -----------------------------------------------------------------------------

  private LocalCluster cluster(Mode mode, String scenario) throws Exception {
    Path dir = work.resolve(scenario + "-" + mode.name().toLowerCase(Locale.ROOT));
    return LocalCluster.start(LocalCluster.Settings.parse(CLUSTER, dir.resolve("cluster")));
  }

  /** A new application's settings; its framework name is {@link #name} of {@code who}. */
  private Map<String, String> settings(LocalCluster cluster, Mode mode, String who) {
    apps++;
    Map<String, String> s = new HashMap<>();
    s.put("ferry.master", "mesos://" + cluster.masterAddress());
    s.put("ferry.app.name", name(who));
    s.put("ferry.executor.uri", archiveUri);
    s.put("ferry.jars", jar.toString());
    s.put("ferry.executor.memory", "192m");
    s.put("ferry.executor.memoryOverhead", "64m");
    s.put("ferry.driver.host", "127.0.0.1");
    s.put("ferry.driver.bindAddress", "127.0.0.1");
    s.put("ferry.local.dir", work.resolve("local-" + apps).toString());
    switch (mode) {
      case ELASTIC -> {
        s.put("ferry.mesos.coarse", "true");
        s.put("ferry.executor.cores", "2");
        s.put("ferry.dynamicAllocation.enabled", "true");
        s.put("ferry.dynamicAllocation.executorIdleTimeout", IDLE_SECONDS + "s");
      }
      case STATIC -> {
        s.put("ferry.mesos.coarse", "true");
        s.put("ferry.executor.cores", "2");
        s.put("ferry.dynamicAllocation.enabled", "false");
      }
      case FINE -> s.put("ferry.mesos.coarse", "false");
    }
    return s;
  }

  private static String name(String who) {
    return "bench-elastic-" + who;
  }

  private static void burst(FerryContext ferry, int n) throws Exception {
    List<SleepTask> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tasks.add(new SleepTask(i, TASK_MILLIS));
    }
    List<Integer> results = ferry.runAll(tasks);
    for (int i = 0; i < n; i++) {
      if (results.get(i) != i) {
        throw new IllegalStateException("task " + i + " returned " + results.get(i));
      }
    }
  }

  private static void check(List<CompletableFuture<Integer>> results) {
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i).join() != i) {
        throw new IllegalStateException("task " + i + " returned " + results.get(i).join());
      }
    }
  }

  /** Polls {@code condition} every 100 ms for up to {@code seconds}; whether it held. */
  private static boolean waitFor(int seconds, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static String seconds(Double s) {
    return s == null || s.isNaN() ? "not reached" : String.format(Locale.ROOT, "%.2f s", s);
  }

  /**
   * One framework's used cpus, sampled from reads of mesos-local's state
   * ({@link MasterState#usedByName}); integrates cpus x time, each sample holding until the next.
   */
  private static final class HeldCpus {
    private final String name;
    private final long since;
    private long last;
    private double now;
    private double coreNanos;

    HeldCpus(String name, long since, Map<String, Double> used) {
      this.name = name;
      this.since = since;
      this.last = since;
      this.now = used.getOrDefault(name, 0.0);
    }

    /** Counts the previous sample until {@code at}, then takes this framework's cpus from {@code used}. */
    double sample(long at, Map<String, Double> used) {
      coreNanos += now * (at - last);
      last = at;
      now = used.getOrDefault(name, 0.0);
      return now;
    }

    double now() {
      return now;
    }

    double coreSeconds() {
      return coreNanos / 1e9;
    }

    /** Mean cpus from {@code since} to the last sample. */
    double mean() {
      return last == since ? now : coreNanos / (last - since);
    }
  }

  /** Keeps {@code window} sleep tasks in flight on one application until stopped; then waits for them. */
  private static final class Busy implements AutoCloseable {
    private final Thread submitter;
    private final Semaphore inFlight;
    private final int window;
    private final AtomicLong done = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stop;

    Busy(FerryContext ferry, int window) {
      this.window = window;
      this.inFlight = new Semaphore(window);
      this.submitter = new Thread(() -> {
        try {
          int i = 0;
          while (!stop && failure.get() == null) {
            if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
              continue;
            }
            int index = i++;
            ferry.submit("busy", new SleepTask(index, TASK_MILLIS)).whenComplete((value, error) -> {
              if (error != null) {
                failure.compareAndSet(null, error);
              } else if (value != index) {
                failure.compareAndSet(null, new IllegalStateException("task " + index + " returned " + value));
              } else {
                done.incrementAndGet();
              }
              inFlight.release();
            });
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          stopped.countDown();
        }
      }, "bench-busy");
      submitter.setDaemon(true);
      submitter.start();
    }

    /** Stops submitting and waits for what is in flight; fails on a failed task. */
    void stop() throws InterruptedException {
      stop = true;
      stopped.await();
      if (!inFlight.tryAcquire(window, 120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("tasks in flight did not complete within 120 s");
      }
      inFlight.release(window);
      if (failure.get() != null) {
        throw new IllegalStateException("a task failed: " + failure.get(), failure.get());
      }
    }

    long done() {
      return done.get();
    }

    @Override
    public void close() throws InterruptedException {
      if (!stop) {
        stop = true;
        stopped.await(); // its tasks end with the application
      }
    }
  }
}
