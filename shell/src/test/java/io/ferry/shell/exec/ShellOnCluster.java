package io.ferry.shell.exec;

import io.ferry.driver.FerryConf;
import io.ferry.driver.FerryContext;
import io.ferry.driver.testing.ExecutorArchive;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;

/**
 * A JShell on the {@code ferry} engine with a real {@code FerryContext} on {@code local-cluster}
 * (mesos-local agents starting real executor processes) bound to the snippet variable {@code ferry}.
 */
final class ShellOnCluster implements AutoCloseable {
  /**
   * Fine mode launches each task as a Mesos task, one per free cpu per allocation (1 s, Mesos's
   * default): on local-cluster[2,2,1024] that is 2 tasks/s (BENCHMARKS.md), 500 s for 1,000 tasks.
   * 32 cpus per agent make it 62 tasks/s; the executors and tasks are the same.
   */
  static final String FINE_MASTER = "local-cluster[2,32,1024]";

  final SnippetGenerations generations = new SnippetGenerations();
  final FerryContext ferry;
  final JShell shell;
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();

  ShellOnCluster(Path dir, boolean coarse, Map<String, String> extra) throws Exception {
    Path archive = ExecutorArchive.build(dir);
    Map<String, String> settings = new HashMap<>(Map.of(
        "ferry.master", coarse ? "local-cluster[2,2,1024]" : FINE_MASTER,
        "ferry.executor.uri", ExecutorArchive.uri(archive),
        "ferry.executor.memory", "256m",
        "ferry.mesos.coarse", String.valueOf(coarse),
        "ferry.driver.host", "127.0.0.1",
        "ferry.driver.bindAddress", "127.0.0.1",
        "ferry.local.dir", dir.resolve("work").toString()));
    settings.putAll(extra);
    ferry = FerryContext.create(FerryConf.load(settings), generations);
    JShell built = null;
    try {
      ShellBinding.bind(ferry);
      PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
      built = JShell.builder()
          .executionEngine(new FerryExecutionControlProvider(generations), Map.of())
          .out(out).err(out)
          .build();
      // Surefire may start this JVM on a manifest-only jar: give the compiler the real class path.
      String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      built.addToClasspath(classpath);
      shell = built;
      eval("import io.ferry.api.*;");
      eval("import java.util.*;");
      eval("import java.util.stream.*;");
      eval("var ferry = io.ferry.shell.exec.ShellBinding.ferry();");
    } catch (Exception | Error e) {
      if (built != null) {
        built.close();
      }
      ferry.close();
      throw e;
    }
  }

  /** Evaluates one snippet that must be valid and must not throw; returns its value. */
  String eval(String source) {
    List<SnippetEvent> events = shell.eval(source);
    StringBuilder problems = new StringBuilder();
    String value = null;
    for (SnippetEvent e : events) {
      if (e.exception() != null) {
        problems.append("threw ").append(describe(e.exception())).append('\n');
      }
      if (e.status() == Snippet.Status.REJECTED) {
        shell.diagnostics(e.snippet()).forEach(d -> problems.append(d.getMessage(null)).append('\n'));
      }
      if (e.causeSnippet() == null) {
        value = e.value();
      }
    }
    if (problems.length() > 0) {
      throw new AssertionError("snippet `" + source + "`:\n" + problems + "shell output:\n" + output());
    }
    return value;
  }

  /** Evaluates a snippet that must throw; returns the exception JShell reports. */
  EvalException evalThrowing(String source) {
    for (SnippetEvent e : shell.eval(source)) {
      if (e.exception() instanceof EvalException thrown) {
        return thrown;
      }
    }
    throw new AssertionError("snippet `" + source + "` did not throw; shell output:\n" + output());
  }

  static String describe(Exception e) {
    return e instanceof EvalException ee ? ee.getExceptionClassName() + ": " + ee.getMessage() : e.toString();
  }

  String output() {
    return output.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    try {
      shell.close();
    } finally {
      ferry.close();
    }
  }
}
