package io.ferry.driver.submit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.driver.JobProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The two progress displays, driven by hand with a fake clock. */
@Timeout(10)
class ProgressViewsTest {
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream terminal = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String transcript() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private void advance(Duration d) {
    clock.addAndGet(d.toNanos());
  }

  private static JobProgress running(long submitted, long done, long running) {
    return new JobProgress(submitted, done, 0, 0, running, 0, 0);
  }

  @Test
  void theTextSaysDoneOfTotalRunningFailuresAndElapsed() {
    assertThat(ProgressText.line(new JobProgress(20, 11, 1, 0, 4, 5, 2), Duration.ofSeconds(67)))
        .isEqualTo("[ferry] 12/20 tasks done (1 gave up), 4 running, 4 waiting, 5 failed, 2 lost, 1:07");
    assertThat(ProgressText.line(running(1, 0, 1), Duration.ofSeconds(3725)))
        .isEqualTo("[ferry] 0/1 task done, 1 running, 0 waiting, 0 failed, 0 lost, 1:02:05");
    assertThat(ProgressText.line(new JobProgress(3, 1, 0, 2, 0, 0, 0), Duration.ZERO))
        .isEqualTo("[ferry] 3/3 tasks done (2 cancelled), 0 running, 0 waiting, 0 failed, 0 lost, 0:00");
  }

  @Test
  void onATerminalTheLineIsRedrawnInPlaceWithinTheWidthAtMostTenTimesASecond() {
    TerminalProgress view = new TerminalProgress(terminal, 40, clock::get);
    view.sample(JobProgress.NONE);
    assertThat(transcript()).as("nothing before the first task").isEmpty();

    view.sample(running(20, 0, 4));
    view.sample(running(20, 1, 4)); // at once: not drawn yet
    assertThat(transcript()).isEqualTo("\r" + "[ferry] 0/20 tasks done, 4 running, 16 ");
    advance(Duration.ofMillis(100));
    view.sample(running(20, 1, 4));
    view.sample(running(20, 1, 4)); // the same text: no redraw
    String t = transcript();
    assertThat(t.chars().filter(c -> c == '\r').count()).isEqualTo(2);
    assertThat(t).doesNotContain("\n");
    for (String drawn : t.split("\r")) {
      assertThat(drawn.length()).as("'%s' fits 40 columns less one", drawn).isLessThanOrEqualTo(39);
    }
    assertThat(Screen.rows(t)).containsExactly("[ferry] 1/20 tasks done, 4 running, 15");
  }

  @Test
  void otherOutputWipesTheLineFirstAndItComesBackAfter() {
    TerminalProgress view = new TerminalProgress(terminal, 120, clock::get);
    view.sample(running(3, 0, 3));
    view.beforeOutput(running(3, 0, 3));
    terminal.print("WARN something\n");
    view.afterOutput(true);
    advance(Duration.ofMillis(150));
    view.sample(running(3, 1, 2));
    assertThat(transcript()).contains("\r" + " ".repeat("[ferry] 0/3 tasks done, 3 running, 0 waiting, 0 failed, 0 lost, 0:00".length())
        + "\r" + "WARN something\n");
    assertThat(Screen.rows(transcript()))
        .containsExactly("WARN something", "[ferry] 1/3 tasks done, 2 running, 0 waiting, 0 failed, 0 lost, 0:00");
  }

  @Test
  void aPartialLineOfOtherOutputIsNeverDrawnOver() {
    TerminalProgress view = new TerminalProgress(terminal, 120, clock::get);
    view.sample(running(2, 0, 2));
    view.beforeOutput(running(2, 0, 2));
    terminal.print("Enter a number: ");
    view.afterOutput(false);
    advance(Duration.ofSeconds(1));
    view.sample(running(2, 1, 1));
    assertThat(Screen.rows(transcript())).containsExactly("Enter a number:");
    terminal.print("42\n");
    view.afterOutput(true);
    advance(Duration.ofSeconds(1));
    view.sample(running(2, 1, 1));
    assertThat(Screen.rows(transcript()))
        .containsExactly("Enter a number: 42", "[ferry] 1/2 tasks done, 1 running, 0 waiting, 0 failed, 0 lost, 0:02");
  }

  @Test
  void whenEveryTaskIsDoneOutputKeepsTheFinalLineAndFinishAddsNoSecond() {
    TerminalProgress view = new TerminalProgress(terminal, 120, clock::get);
    view.sample(running(2, 0, 2));
    advance(Duration.ofSeconds(3));
    view.sample(running(2, 2, 0));
    view.beforeOutput(running(2, 2, 0));
    terminal.print("Pi is roughly 3.14\n");
    view.afterOutput(true);
    advance(Duration.ofSeconds(1));
    view.sample(running(2, 2, 0)); // idle at the counts already left on screen: nothing to draw
    view.finish(running(2, 2, 0));
    assertThat(Screen.rows(transcript()))
        .containsExactly("[ferry] 2/2 tasks done, 0 running, 0 waiting, 0 failed, 0 lost, 0:03", "Pi is roughly 3.14");
  }

  @Test
  void finishLeavesTheLastCountsOnTheirOwnLine() {
    TerminalProgress view = new TerminalProgress(terminal, 120, clock::get);
    view.sample(running(2, 0, 2));
    advance(Duration.ofSeconds(2));
    view.finish(new JobProgress(2, 1, 0, 1, 0, 0, 0));
    assertThat(transcript()).endsWith("\n");
    assertThat(Screen.rows(transcript()))
        .containsExactly("[ferry] 2/2 tasks done (1 cancelled), 0 running, 0 waiting, 0 failed, 0 lost, 0:02");
  }

  @Test
  void plainLinesAtStartAndEndAndEveryFewSecondsInBetweenNeverACarriageReturn() {
    PlainProgress view = new PlainProgress(terminal, clock::get);
    view.sample(JobProgress.NONE);
    assertThat(transcript()).isEmpty();
    view.sample(running(3, 0, 2)); // being submitted: no line with a partial total
    assertThat(transcript()).isEmpty();
    view.sample(running(10, 0, 2));
    assertThat(transcript()).isEmpty();
    view.sample(running(10, 0, 2)); // two samples agree: the batch's line
    for (int i = 1; i <= 9; i++) {
      advance(Duration.ofSeconds(1));
      view.sample(running(10, i, 1)); // one line per 5 s at most while they run
    }
    advance(Duration.ofMillis(500));
    view.sample(running(10, 10, 0)); // all done: a line at once (the last one is older than 1 s)
    advance(Duration.ofSeconds(30));
    view.sample(running(10, 10, 0)); // nothing new
    view.finish(running(10, 10, 0)); // already printed: no repeat
    view.beforeOutput(running(10, 10, 0));
    view.afterOutput(false);
    assertThat(transcript()).doesNotContain("\r");
    assertThat(transcript().lines()).containsExactly(
        "[ferry] 0/10 tasks done, 2 running, 8 waiting, 0 failed, 0 lost, 0:00",
        "[ferry] 5/10 tasks done, 1 running, 4 waiting, 0 failed, 0 lost, 0:05",
        "[ferry] 10/10 tasks done, 0 running, 0 waiting, 0 failed, 0 lost, 0:09");
  }

  @Test
  void plainFinishPrintsTheLastCountsWhenTheyWereNotPrinted() {
    PlainProgress view = new PlainProgress(terminal, clock::get);
    view.sample(running(4, 0, 4));
    view.sample(running(4, 0, 4));
    advance(Duration.ofMillis(300));
    view.sample(running(4, 4, 0)); // too soon after the first line
    view.finish(running(4, 4, 0));
    assertThat(transcript().lines()).containsExactly(
        "[ferry] 0/4 tasks done, 4 running, 0 waiting, 0 failed, 0 lost, 0:00",
        "[ferry] 4/4 tasks done, 0 running, 0 waiting, 0 failed, 0 lost, 0:00");
  }

  @Test
  void plainLinesWaitWhileOtherOutputIsHalfWayThroughALine() {
    PlainProgress view = new PlainProgress(terminal, clock::get);
    view.sample(running(4, 0, 4));
    view.sample(running(4, 0, 4));
    terminal.print("Pi is roughly ");
    view.afterOutput(false);
    advance(Duration.ofSeconds(2));
    view.sample(running(4, 4, 0)); // all done, but the line above is open: wait
    terminal.print("3.14\n");
    view.afterOutput(true);
    view.sample(running(4, 4, 0));
    assertThat(transcript().lines()).containsExactly(
        "[ferry] 0/4 tasks done, 4 running, 0 waiting, 0 failed, 0 lost, 0:00",
        "Pi is roughly 3.14",
        "[ferry] 4/4 tasks done, 0 running, 0 waiting, 0 failed, 0 lost, 0:02");
  }
}
