package io.ferry.shell.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import jdk.jshell.EvalException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Snippets typed into JShell (the {@code ferry} engine) run as tasks on real executor processes
 * of {@code local-cluster}, in both Mesos modes: the executors have none of the snippet classes
 * but what the driver serves them, per generation, over the authenticated link.
 */
@Timeout(300)
class SnippetTasksOnLocalClusterTest {
  @TempDir Path dir;

  /** Sum of f(i) for i in [0, 1000) with the f defined last, run as 1,000 tasks. */
  private static final String SUM_OF_F = "ferry.runAll(IntStream.range(0, 1000)"
      + ".mapToObj(i -> (Task<Long>) ctx -> f(i)).toList()).stream().mapToLong(Long::longValue).sum()";

  @ParameterizedTest(name = "coarse={0}")
  @ValueSource(booleans = {false, true})
  void aSnippetMethodRunsOnTheExecutorsAndItsRedefinitionToo(boolean coarse) throws Exception {
    try (ShellOnCluster shell = new ShellOnCluster(dir, coarse, Map.of())) {
      shell.eval("long f(long x) { return x * x; }");
      assertThat(shell.eval(SUM_OF_F)).isEqualTo("332833500");
      long first = shell.generations.current();
      assertThat(first).isPositive();

      shell.eval("long f(long x) { return x * x + 1; }");
      assertThat(shell.eval(SUM_OF_F)).as("f redefined: each of the 1,000 tasks adds 1").isEqualTo("332834500");
      assertThat(shell.generations.current()).isGreaterThan(first);
      // The executors ran the tasks (not this JVM): snippet classes reached them only from the driver.
      assertThat(shell.eval("ferry.runAll(List.of((Task<String>) ctx -> ctx.executorId())).get(0)"))
          .startsWith("\"ferry-");
    }
  }

  /**
   * Two snippet methods redefined together (one class) while tasks of earlier versions still run:
   * every task sees one version of both, the version it was submitted with.
   */
  @ParameterizedTest(name = "coarse={0}")
  @ValueSource(booleans = {false, true})
  void versionsNeverMixInsideOneTask(boolean coarse) throws Exception {
    try (ShellOnCluster shell = new ShellOnCluster(dir, coarse, Map.of())) {
      shell.eval("var pending = new ArrayList<java.util.concurrent.CompletableFuture<String>>();");
      for (int version = 1; version <= 6; version++) {
        shell.eval("class Pair { static int a() { return " + version + "; } static int b() { return " + version
            + "; } }");
        // Submitted without waiting: the next redefinition happens while these run.
        shell.eval("for (int i = 0; i < 40; i++) pending.add(ferry.submit((Task<String>) ctx -> Pair.a() + \"/\""
            + " + Pair.b() + \"/" + version + "\"));");
      }
      String mixed = shell.eval("pending.stream().map(f -> f.join()).filter(r -> { String[] p = r.split(\"/\");"
          + " return !(p[0].equals(p[2]) && p[1].equals(p[2])); }).toList().toString()");
      assertThat(mixed).as("results whose a, b and submitted version differ").isEqualTo("\"[]\"");
      assertThat(shell.eval("pending.size()")).isEqualTo("240");
    }
  }

  @ParameterizedTest(name = "coarse={0}")
  @ValueSource(booleans = {false, true})
  void aThrowingSnippetTaskIsAShortFailureAndTheShellStaysUsable(boolean coarse) throws Exception {
    try (ShellOnCluster shell = new ShellOnCluster(dir, coarse, Map.of("ferry.task.maxFailures", "1"))) {
      shell.eval("int boom(int x) { if (x > 0) throw new IllegalStateException(\"no boom above zero: \" + x);"
          + " return x; }");
      EvalException thrown = shell.evalThrowing("ferry.runAll(List.of((Task<Integer>) ctx -> boom(7)))");
      assertThat(thrown.getExceptionClassName()).isEqualTo("io.ferry.driver.TaskFailedException");
      assertThat(thrown.getMessage()).contains("IllegalStateException: no boom above zero: 7");
      assertThat(thrown.getMessage().lines().count()).as(thrown.getMessage()).isEqualTo(1);
      String[] causeAndLink = thrown.getMessage().split("; its executor's log: ");
      assertThat(causeAndLink).as(thrown.getMessage()).hasSize(2);
      assertThat(causeAndLink[0].length()).as("the cause, without the link (ids make both long)").isLessThan(300);
      assertThat(causeAndLink[1]).matches("http://127\\.0\\.0\\.1:\\d+/#/sandbox/\\S+/stderr");

      assertThat(shell.eval("1 + 1")).isEqualTo("2");
      assertThat(shell.eval("ferry.runAll(List.of((Task<Integer>) ctx -> boom(-3))).get(0)")).isEqualTo("-3");
    }
  }
}
