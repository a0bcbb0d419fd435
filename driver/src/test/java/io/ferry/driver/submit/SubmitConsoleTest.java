package io.ferry.driver.submit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.api.Task;
import io.ferry.driver.FerryContext;
import io.ferry.driver.ProgressMode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The console around a real {@link FerryContext} ({@code local[2]}): it finds the context as an
 * observer, samples its progress on its own thread, and on a terminal wipes the line before the
 * application's stdout and stderr, which here share one screen as on a real terminal.
 */
@Timeout(60)
class SubmitConsoleTest {
  static final CountDownLatch GATE = new CountDownLatch(1);

  private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
  private final PrintStream terminal = new PrintStream(screen, true, StandardCharsets.UTF_8);

  private String transcript() {
    synchronized (screen) {
      return screen.toString(StandardCharsets.UTF_8);
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  @Test
  void onATerminalTheApplicationsOutputNeverSharesARowWithTheProgressLine() throws Exception {
    PrintStream realOut = System.out;
    PrintStream realErr = System.err;
    SubmitConsole console = new SubmitConsole(ProgressMode.ALWAYS, new TerminalFacts(true, true, 100), terminal,
        terminal, System::nanoTime);
    try {
      console.install();
      assertThat(System.out).isNotSameAs(realOut);
      try (FerryContext ferry = FerryContext.create(Map.of("ferry.master", "local[2]"))) {
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          Task<Integer> waits = ctx -> GATE.await(30, TimeUnit.SECONDS) ? 1 : 0;
          results.add(ferry.submit(waits));
        }
        await("the progress line", () -> transcript().contains("\r[ferry] 0/3 tasks done, 2 running, 1 waiting"));
        System.out.println("hello from the application");
        System.err.print("a partial ");
        System.err.println("line on stderr");
        GATE.countDown();
        int sum = 0;
        for (CompletableFuture<Integer> r : results) {
          sum += r.get(20, TimeUnit.SECONDS);
        }
        System.out.println("result " + sum);
      }
    } finally {
      console.close();
    }
    assertThat(System.out).isSameAs(realOut);
    assertThat(System.err).isSameAs(realErr);
    List<String> rows = Screen.rows(transcript());
    assertThat(rows).contains("hello from the application", "a partial line on stderr", "result 3");
    assertThat(rows).filteredOn(r -> r.contains("[ferry]")).allMatch(r -> r.startsWith("[ferry] "))
        .last().asString().startsWith("[ferry] 3/3 tasks done, 0 running, 0 waiting, 0 failed, 0 lost, 0:");
    assertThat(rows).noneMatch(r -> r.contains("web UI")); // local[N] has no master
    assertThat(transcript()).endsWith("\n");
  }

  @Test
  void withoutATerminalItPrintsPlainLinesAndGivesTheStreamsBack() throws Exception {
    PrintStream realOut = System.out;
    PrintStream realErr = System.err;
    SubmitConsole console = new SubmitConsole(ProgressMode.AUTO, new TerminalFacts(false, false, 80), terminal,
        terminal, System::nanoTime);
    try {
      console.install();
      assertThat(System.out).as("routed, so progress waits for a half-written line").isNotSameAs(realOut);
      try (FerryContext ferry = FerryContext.create(Map.of("ferry.master", "local[2]"))) {
        List<Task<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          tasks.add(ctx -> 1);
        }
        assertThat(ferry.runAll(tasks)).hasSize(4);
      }
    } finally {
      console.close();
    }
    assertThat(System.out).isSameAs(realOut);
    assertThat(System.err).isSameAs(realErr);
    assertThat(transcript()).doesNotContain("\r");
    // System.err is routed through the console now, so the test's own log lines are in it too.
    assertThat(transcript().lines().filter(l -> l.startsWith("[ferry] ")).toList()).isNotEmpty()
        .last().asString().startsWith("[ferry] 4/4 tasks done, 0 running, 0 waiting, 0 failed, 0 lost, 0:");
  }

  @Test
  void neverShowsNoProgress() throws Exception {
    SubmitConsole console = new SubmitConsole(ProgressMode.NEVER, new TerminalFacts(true, true, 80), terminal,
        terminal, System::nanoTime);
    try {
      console.install();
      try (FerryContext ferry = FerryContext.create(Map.of("ferry.master", "local[1]"))) {
        ferry.runAll(List.<Task<Integer>>of(ctx -> 1));
      }
    } finally {
      console.close();
    }
    assertThat(transcript()).isEmpty();
  }
}
