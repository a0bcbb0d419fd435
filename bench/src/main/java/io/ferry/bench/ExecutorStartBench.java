package io.ferry.bench;

import com.google.protobuf.ByteString;
import io.ferry.api.TaskSerializer;
import io.ferry.rpc.PeerConnection;
import io.ferry.rpc.RpcServer;
import io.ferry.rpc.ServerConfig;
import io.ferry.rpc.ServerHandler;
import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.Mode;
import io.ferry.rpc.proto.RunTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;

/**
 * Executor cold start, as a whole process: from the exec of {@code bin/ferry-executor} to the
 * agent seeing SUBSCRIBE and to the first task's TASK_RUNNING, next to the floor of a JVM that
 * prints hello (exec to exit, same java, with and without the launcher's JVM flags); then the
 * executor's resident memory once its first task has finished and it sits idle.
 *
 * <p>Three starts per repetition, as an agent sees them: the first start of a distribution on a
 * machine (an empty class data sharing cache: this start writes the archive when it exits), a warm
 * start (the archive the first start wrote), and one with {@code FERRY_EXECUTOR_CDS=off}.
 *
 * <p>The executor runs between a {@link LoopbackAgent} (the v1 executor HTTP API) and a real
 * {@link RpcServer} playing the driver, which serves an application jar and answers FetchTask with
 * a {@link NoopTask}, so the first task includes the link's handshake and the jar download.
 * Contenders alternate (floor, floor with flags, executor) so a slow spell falls on all of them.
 *
 * <p>Usage: {@code ExecutorStartBench DIST_DIR WORK_DIR [REPS] [IDLE_SECONDS]}
 */
public final class ExecutorStartBench {
  /** The JVM flags bin/ferry-executor starts the JVM with (kept in step with the launcher). */
  static final List<String> LAUNCHER_FLAGS = List.of("-Xms16m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
      "-XX:CICompilerCount=1",
      "-XX:-UsePerfData", "-Xshare:auto", "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");
  static final String HEAP = "1024m"; // what the driver sets by default (ferry.executor.memory=1g)

  private record Run(long subscribe, long connected, long running, long finished, long rssKb, long hwmKb,
      long exitAfterShutdown) {}

  /** How a start finds the agent's class data sharing cache. */
  private enum Start {
    /** An empty cache: the start writes the archive when it exits. */
    FIRST,
    /** The archive the first start wrote. */
    WARM,
    /** FERRY_EXECUTOR_CDS=off: no archive of Ferry's classes (the JDK's own CDS only). */
    OFF
  }

  public static void main(String[] args) throws Exception {
    Path dist = Path.of(args[0]).toAbsolutePath();
    Path work = Files.createDirectories(Path.of(args[1]).toAbsolutePath());
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 7;
    int idleSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path hello = compileHello(work.resolve("hello"));
    Path jar = AppJar.build(work.resolve("app"));

    List<Long> floor = new ArrayList<>();
    List<Long> floorFlags = new ArrayList<>();
    Map<Start, List<Run>> runs = new EnumMap<>(Start.class);
    for (Start start : Start.values()) {
      runs.put(start, new ArrayList<>());
    }
    for (int i = -1; i < reps; i++) { // i = -1: one unmeasured warm-up of each (page cache)
      long f = helloNanos(java, hello, List.of());
      long ff = helloNanos(java, hello, LAUNCHER_FLAGS);
      Path rep = work.resolve("rep-" + (i + 1));
      Path cache = rep.resolve("cds-cache"); // empty: this repetition's first start fills it
      Run first = executor(dist, rep.resolve("first"), jar, idleSeconds, Start.FIRST, cache);
      if (!hasArchive(cache)) {
        throw new IllegalStateException("the first start wrote no class data sharing archive into " + cache
            + "; see " + rep.resolve("first/sandbox/stderr"));
      }
      Run warm = executor(dist, rep.resolve("warm"), jar, idleSeconds, Start.WARM, cache);
      Run off = executor(dist, rep.resolve("off"), jar, idleSeconds, Start.OFF, cache);
      if (i >= 0) {
        floor.add(f);
        floorFlags.add(ff);
        runs.get(Start.FIRST).add(first);
        runs.get(Start.WARM).add(warm);
        runs.get(Start.OFF).add(off);
      }
    }
    print(floor, floorFlags, runs, idleSeconds);
  }

  private static boolean hasArchive(Path cache) throws IOException {
    if (!Files.isDirectory(cache)) {
      return false;
    }
    try (var files = Files.list(cache)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".jsa"));
    }
  }

  private static void print(List<Long> floor, List<Long> floorFlags, Map<Start, List<Run>> runs, int idleSeconds) {
    Result base = new Result(floor);
    Result flags = new Result(floorFlags);
    System.out.println("| executor cold start (" + floor.size() + " runs) | median ms (min-max) | vs floor (java Hello) | target |");
    System.out.println("| --- | --- | --- | --- |");
    row("floor: java -cp . Hello, exec to exit", base, base, "");
    row("floor: java " + String.join(" ", LAUNCHER_FLAGS) + " -cp . Hello", flags, base, "");
    Map<Start, Result> running = new EnumMap<>(Start.class);
    Map<Start, Result> subscribe = new EnumMap<>(Start.class);
    for (Start start : Start.values()) {
      List<Run> r = runs.get(start);
      String who = switch (start) {
        case FIRST -> "first start (writes the CDS archive)";
        case WARM -> "warm start (maps the CDS archive)";
        case OFF -> "FERRY_EXECUTOR_CDS=off";
      };
      subscribe.put(start, result(r, Run::subscribe));
      running.put(start, result(r, Run::running));
      row(who + ": exec to SUBSCRIBE at the agent", subscribe.get(start), base, "");
      row(who + ": exec to FetchTask at the driver (link up, jar fetched)", result(r, Run::connected), base, "");
      row(who + ": exec to first TASK_RUNNING at the agent", running.get(start), base,
          start == Start.OFF ? "" : "<= 4.00x");
      row(who + ": exec to first TASK_FINISHED at the agent", result(r, Run::finished), base, "");
      if (start == Start.FIRST) {
        row(who + ": SHUTDOWN to exit (the archive dumped, verified, renamed)", result(r, Run::exitAfterShutdown),
            base, "");
      }
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "| executor memory (%d runs, heap -Xmx%s) | median MiB (min-max) | target |%n",
        floor.size(), HEAP);
    System.out.println("| --- | --- | --- |");
    Map<Start, Result> rss = new EnumMap<>(Start.class);
    for (Start start : Start.values()) {
      // Result holds nanoseconds and reports seconds: KiB * 1e9 / 1024 reads back as MiB.
      rss.put(start, result(runs.get(start), run -> run.rssKb() * 1_000_000_000L / 1024));
      Result hwm = result(runs.get(start), run -> run.hwmKb() * 1_000_000_000L / 1024);
      System.out.printf(Locale.ROOT, "| %s: VmRSS, idle %d s after the first task finished | %.1f (%.1f-%.1f) | <= 80 MB |%n",
          start.name().toLowerCase(Locale.ROOT), idleSeconds, rss.get(start).median(), rss.get(start).min(),
          rss.get(start).max());
      System.out.printf(Locale.ROOT, "| %s: VmHWM (peak RSS) by then | %.1f (%.1f-%.1f) | |%n",
          start.name().toLowerCase(Locale.ROOT), hwm.median(), hwm.min(), hwm.max());
    }
    String hello = "java Hello " + ms(base.median());
    Summary.add("executor", "warm start: exec to first TASK_RUNNING", ms(running.get(Start.WARM).median()), hello,
        ratio(running.get(Start.WARM), base), "<= 4x");
    Summary.add("executor", "first start: exec to first TASK_RUNNING", ms(running.get(Start.FIRST).median()), hello,
        ratio(running.get(Start.FIRST), base), "<= 4x");
    Summary.add("executor", "no CDS archive: exec to first TASK_RUNNING", ms(running.get(Start.OFF).median()), hello,
        ratio(running.get(Start.OFF), base), "");
    Summary.add("executor", "warm start: exec to SUBSCRIBE", ms(subscribe.get(Start.WARM).median()), hello,
        ratio(subscribe.get(Start.WARM), base), "");
    Summary.add("executor", "warm start: idle RSS", String.format(Locale.ROOT, "%.1f MiB", rss.get(Start.WARM).median()),
        "", "", "<= 80 MB");
  }

  private static Result result(List<Run> runs, java.util.function.ToLongFunction<Run> field) {
    return new Result(runs.stream().map(run -> field.applyAsLong(run)).toList());
  }

  private static void row(String name, Result r, Result base, String target) {
    System.out.printf(Locale.ROOT, "| %s | %.1f (%.1f-%.1f) | %s | %s |%n", name, r.median() * 1e3, r.min() * 1e3,
        r.max() * 1e3, ratio(r, base), target);
  }

  private static String ms(double seconds) {
    return String.format(Locale.ROOT, "%.0f ms", seconds * 1e3);
  }

  private static String ratio(Result r, Result base) {
    return String.format(Locale.ROOT, "%.2fx", r.median() / base.median());
  }

  private static Path compileHello(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path source = dir.resolve("Hello.java");
    Files.writeString(source, "public class Hello { public static void main(String[] a) { System.out.println(\"hello\"); } }\n");
    int code = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(), source.toString());
    if (code != 0) {
      throw new IllegalStateException("javac Hello.java failed (" + code + ")");
    }
    return dir;
  }

  private static long helloNanos(String java, Path dir, List<String> flags) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(flags);
    command.addAll(List.of("-cp", ".", "Hello"));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile());
    long start = System.nanoTime();
    Process p = pb.start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("java Hello failed: " + Files.readString(dir.resolve("out.txt")));
      }
      return System.nanoTime() - start;
    } finally {
      p.destroyForcibly();
    }
  }

  /** One cold start of bin/ferry-executor, then its idle memory; the process is always ended. */
  private static Run executor(Path dist, Path rep, Path jar, int idleSeconds, Start start, Path cache)
      throws Exception {
    Path sandbox = Files.createDirectories(rep.resolve("sandbox"));
    String executorId = "bench-executor-" + rep.getFileName();
    TaskSerializer serializer = new TaskSerializer(ExecutorStartBench.class.getClassLoader());
    byte[] payload = serializer.serialize(new NoopTask());
    long[] fetchAt = new long[1];
    ServerHandler handler = new ServerHandler() {
      @Override
      public void onConnected(PeerConnection peer) {}

      @Override
      public void onFrame(PeerConnection peer, Frame frame) {
        if (frame.hasFetchTask()) {
          fetchAt[0] = System.nanoTime();
          peer.send(Frame.newBuilder().setRunTask(RunTask.newBuilder().setTaskId(1).setMesosTaskId(
              frame.getFetchTask().getMesosTaskId()).setName("noop").setPayload(ByteString.copyFrom(payload))).build());
        }
      }

      @Override
      public void onDisconnected(PeerConnection peer, String reason) {}
    };
    try (RpcServer driver = RpcServer.start(ServerConfig.loopback().withJars(List.of(jar)), handler)) {
      TaskInfo task = TaskInfo.newBuilder().setName("noop").setTaskId(TaskID.newBuilder().setValue("task-1"))
          .setAgentId(AgentID.newBuilder().setValue("bench-agent"))
          .setData(driver.launchRecord(executorId, Mode.FINE, "127.0.0.1", "bench-app").build().toByteString()).build();
      try (LoopbackAgent agent = LoopbackAgent.start(task)) {
        Map<String, String> env = new HashMap<>(agent.environment(executorId, sandbox.toString()));
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("FERRY_EXECUTOR_MEMORY", HEAP);
        env.put("FERRY_EXECUTOR_CDS_DIR", cache.toString());
        env.put("FERRY_EXECUTOR_CDS", start == Start.OFF ? "off" : "auto");
        String extra = System.getProperty("bench.executorJavaOpts", "");
        if (!extra.isBlank()) { // to try JVM flags without editing the launcher
          env.put("FERRY_EXECUTOR_JAVA_OPTS", extra);
        }
        ProcessBuilder pb = new ProcessBuilder(dist.resolve("bin/ferry-executor").toString()).directory(dist.toFile())
            .redirectOutput(sandbox.resolve("stdout").toFile()).redirectError(sandbox.resolve("stderr").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        long begin = System.nanoTime();
        Process p = pb.start();
        try {
          if (!agent.awaitFinished(60, TimeUnit.SECONDS) || agent.updateAt(TaskState.TASK_FINISHED) == 0) {
            throw new IllegalStateException("the executor did not finish its first task within 60 s; see "
                + sandbox.resolve("stderr") + ":\n" + Files.readString(sandbox.resolve("stderr")));
          }
          Thread.sleep(idleSeconds * 1000L);
          long[] mem = memoryKb(jvmPid(p));
          agent.shutdown();
          long shutdownAt = System.nanoTime();
          if (!p.waitFor(30, TimeUnit.SECONDS)) {
            System.err.println("the executor did not exit within 30 s of SHUTDOWN; killing it");
          }
          return new Run(agent.subscribedAt() - begin, fetchAt[0] - begin, agent.updateAt(TaskState.TASK_RUNNING) - begin,
              agent.updateAt(TaskState.TASK_FINISHED) - begin, mem[0], mem[1], System.nanoTime() - shutdownAt);
        } finally {
          if (p.isAlive()) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
          }
        }
      }
    }
  }

  /**
   * The executor's JVM: the launcher itself once it exec'd java, or its child while it writes the
   * class data sharing archive (the launcher then waits for the JVM to rename the archive).
   */
  private static long jvmPid(Process p) {
    return p.toHandle().children().findFirst().map(ProcessHandle::pid).orElse(p.pid());
  }

  /** VmRSS and VmHWM of a process, in KiB. */
  private static long[] memoryKb(long pid) throws IOException {
    long rss = -1;
    long hwm = -1;
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
      } else if (line.startsWith("VmHWM:")) {
        hwm = Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return new long[] {rss, hwm};
  }
}
