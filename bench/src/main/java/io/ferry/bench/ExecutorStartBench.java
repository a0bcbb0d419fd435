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
      "-XX:-UsePerfData", "-Xshare:auto");
  static final String HEAP = "1024m"; // what the driver sets by default (ferry.executor.memory=1g)

  private record Run(long subscribe, long connected, long running, long finished, long rssKb, long hwmKb) {}

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
    List<Run> runs = new ArrayList<>();
    for (int i = -1; i < reps; i++) { // i = -1: one unmeasured warm-up of each (page cache)
      long f = helloNanos(java, hello, List.of());
      long ff = helloNanos(java, hello, LAUNCHER_FLAGS);
      Run r = executor(dist, work.resolve("rep-" + (i + 1)), jar, idleSeconds);
      if (i >= 0) {
        floor.add(f);
        floorFlags.add(ff);
        runs.add(r);
      }
    }
    print(floor, floorFlags, runs, idleSeconds);
  }

  private static void print(List<Long> floor, List<Long> floorFlags, List<Run> runs, int idleSeconds) {
    Result base = new Result(floor);
    Result flags = new Result(floorFlags);
    Result subscribe = new Result(runs.stream().map(Run::subscribe).toList());
    Result connected = new Result(runs.stream().map(Run::connected).toList());
    Result running = new Result(runs.stream().map(Run::running).toList());
    Result finished = new Result(runs.stream().map(Run::finished).toList());
    System.out.println("| executor cold start (" + runs.size() + " runs) | median ms (min-max) | vs floor (java Hello) | target |");
    System.out.println("| --- | --- | --- | --- |");
    row("floor: java -cp . Hello, exec to exit", base, base, "");
    row("floor: java " + String.join(" ", LAUNCHER_FLAGS) + " -cp . Hello", flags, base, "");
    row("ferry-executor: exec to SUBSCRIBE at the agent", subscribe, base, "");
    row("ferry-executor: exec to FetchTask at the driver (link up, jar fetched)", connected, base, "");
    row("ferry-executor: exec to first TASK_RUNNING at the agent", running, base, "<= 4.00x");
    row("ferry-executor: exec to first TASK_FINISHED at the agent", finished, base, "");
    List<Long> rss = runs.stream().map(Run::rssKb).toList();
    List<Long> hwm = runs.stream().map(Run::hwmKb).toList();
    // Result holds nanoseconds and reports seconds: KiB * 1e9 / 1024 reads back as MiB.
    Result rssMb = new Result(rss.stream().map(kb -> kb * 1_000_000_000L / 1024).toList());
    Result hwmMb = new Result(hwm.stream().map(kb -> kb * 1_000_000_000L / 1024).toList());
    System.out.println();
    System.out.printf(Locale.ROOT, "| executor memory (%d runs, heap -Xmx%s) | median MiB (min-max) | target |%n", runs.size(), HEAP);
    System.out.println("| --- | --- | --- |");
    System.out.printf(Locale.ROOT, "| VmRSS, idle %d s after the first task finished | %.1f (%.1f-%.1f) | <= 80 MB |%n",
        idleSeconds, rssMb.median(), rssMb.min(), rssMb.max());
    System.out.printf(Locale.ROOT, "| VmHWM (peak RSS) by then | %.1f (%.1f-%.1f) | |%n", hwmMb.median(), hwmMb.min(), hwmMb.max());
    Summary.add("executor", "exec to first TASK_RUNNING", ms(running.median()), "java Hello " + ms(base.median()),
        ratio(running, base), "<= 4x");
    Summary.add("executor", "exec to SUBSCRIBE", ms(subscribe.median()), "java Hello " + ms(base.median()),
        ratio(subscribe, base), "");
    Summary.add("executor", "idle RSS", String.format(Locale.ROOT, "%.1f MiB", rssMb.median()), "", "", "<= 80 MB");
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
  private static Run executor(Path dist, Path rep, Path jar, int idleSeconds) throws Exception {
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
        String extra = System.getProperty("bench.executorJavaOpts", "");
        if (!extra.isBlank()) { // to try JVM flags without editing the launcher
          env.put("FERRY_EXECUTOR_JAVA_OPTS", extra);
        }
        ProcessBuilder pb = new ProcessBuilder(dist.resolve("bin/ferry-executor").toString()).directory(dist.toFile())
            .redirectOutput(sandbox.resolve("stdout").toFile()).redirectError(sandbox.resolve("stderr").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process p = pb.start();
        try {
          if (!agent.awaitFinished(60, TimeUnit.SECONDS) || agent.updateAt(TaskState.TASK_FINISHED) == 0) {
            throw new IllegalStateException("the executor did not finish its first task within 60 s; see "
                + sandbox.resolve("stderr") + ":\n" + Files.readString(sandbox.resolve("stderr")));
          }
          Thread.sleep(idleSeconds * 1000L);
          long[] mem = memoryKb(p.pid());
          Run run = new Run(agent.subscribedAt() - start, fetchAt[0] - start, agent.updateAt(TaskState.TASK_RUNNING) - start,
              agent.updateAt(TaskState.TASK_FINISHED) - start, mem[0], mem[1]);
          agent.shutdown();
          if (!p.waitFor(15, TimeUnit.SECONDS)) {
            System.err.println("the executor did not exit within 15 s of SHUTDOWN; killing it");
          }
          return run;
        } finally {
          if (p.isAlive()) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
          }
        }
      }
    }
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
