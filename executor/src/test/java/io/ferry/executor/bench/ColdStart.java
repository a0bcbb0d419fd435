package io.ferry.executor.bench;

import io.ferry.executor.testing.ChildProcess;
import io.ferry.executor.testing.FakeDriver;
import io.ferry.executor.testing.ScriptedAgent;
import io.ferry.api.TaskSerializer;
import io.ferry.executor.testing.AppJar;
import io.ferry.rpc.PeerConnection;
import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * The executor's cold start, measured as a whole process (a benchmark, not a test): from exec of
 * {@code bin/ferry-executor} to SUBSCRIBE at a scripted agent, and to the first task's
 * TASK_RUNNING (fine mode, through a real driver link, the task's class fetched from the driver
 * in an application jar), next to a JVM that prints hello; then
 * the idle executor's resident memory.
 *
 * <pre>
 * java -cp &lt;executor test class path&gt; io.ferry.executor.bench.ColdStart &lt;dist dir&gt; [runs]
 * </pre>
 */
public final class ColdStart {
  private ColdStart() {}

  public static void main(String[] args) throws Exception {
    Path dist = Path.of(args[0]).toAbsolutePath();
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path work = Files.createTempDirectory("ferry-coldstart");
    List<Long> hello = new ArrayList<>();
    List<Long> subscribed = new ArrayList<>();
    List<Long> running = new ArrayList<>();
    List<Long> rss = new ArrayList<>();
    Path helloDir = helloWorld(work);
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      Process p = new ProcessBuilder(ChildProcess.javaBinary(), "-cp", helloDir.toString(), "Hello")
          .redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      p.waitFor();
      hello.add(System.nanoTime() - t0);
    }
    for (int i = 0; i < runs; i++) {
      long[] r = once(dist, work.resolve("run-" + i), "bench-" + i);
      subscribed.add(r[0]);
      running.add(r[1]);
      rss.add(r[2]);
    }
    System.out.printf("hello-world JVM          median %4d ms%n", median(hello) / 1_000_000);
    System.out.printf("exec -> SUBSCRIBE        median %4d ms%n", median(subscribed) / 1_000_000);
    System.out.printf("exec -> first RUNNING    median %4d ms (%.1fx the hello-world floor)%n",
        median(running) / 1_000_000, (double) median(running) / median(hello));
    System.out.printf("idle RSS after the task  median %4d MB%n", median(rss) / 1024);
  }

  private static long[] once(Path dist, Path sandbox, String executorId) throws Exception {
    Files.createDirectories(sandbox);
    Path jar = AppJar.build(sandbox.resolve("app"));
    byte[] square = new TaskSerializer(ColdStart.class.getClassLoader()).serialize(AppJar.square(jar, 7));
    try (ScriptedAgent agent = ScriptedAgent.start(); FakeDriver driver = FakeDriver.start(List.of(jar))) {
      Map<String, String> env = agent.environment(executorId, false);
      env.put("MESOS_SANDBOX", sandbox.toString());
      env.put("JAVA_HOME", System.getProperty("java.home"));
      env.put("FERRY_EXECUTOR_MEMORY", "512m");
      String opts = System.getenv("FERRY_EXECUTOR_JAVA_OPTS"); // to compare JVM flags
      if (opts != null) {
        env.put("FERRY_EXECUTOR_JAVA_OPTS", opts);
      }
      ProcessBuilder pb = new ProcessBuilder(dist.resolve("bin/ferry-executor").toString()).directory(sandbox.toFile())
          .redirectErrorStream(true).redirectOutput(sandbox.resolve("stderr").toFile());
      pb.environment().clear();
      pb.environment().putAll(env);
      long t0 = System.nanoTime();
      Process p = pb.start();
      try {
        Duration wait = Duration.ofSeconds(30);
        agent.nextSubscribe(wait);
        long subscribed = System.nanoTime() - t0;
        agent.launch(ScriptedAgent.task("t1", "").toBuilder()
            .setData(driver.launchRecord(executorId, Mode.FINE).toByteString()).build());
        PeerConnection peer = driver.peer(wait);
        driver.next(wait, Frame::hasFetchTask);
        peer.send(FakeDriver.runTask(1, "t1", square));
        agent.nextUpdate(wait, "t1", TaskState.TASK_RUNNING);
        long running = System.nanoTime() - t0;
        agent.nextUpdate(wait, "t1", TaskState.TASK_FINISHED);
        Thread.sleep(2000); // idle, as between tasks
        long rssKb = rssKb(p.pid());
        agent.send(Event.newBuilder().setType(Event.Type.SHUTDOWN).build());
        p.waitFor(20, TimeUnit.SECONDS);
        return new long[] {subscribed, running, rssKb};
      } finally {
        p.destroyForcibly();
      }
    }
  }

  private static long rssKb(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  private static Path helloWorld(Path work) throws Exception {
    Path dir = Files.createDirectories(work.resolve("hello"));
    Files.writeString(dir.resolve("Hello.java"), "public class Hello { public static void main(String[] a) {"
        + " System.out.println(\"hello\"); } }");
    int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, dir.resolve("Hello.java").toString());
    if (rc != 0) {
      throw new IllegalStateException("javac failed");
    }
    return dir;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
