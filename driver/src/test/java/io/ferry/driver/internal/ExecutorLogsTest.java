package io.ferry.driver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExecutorLogsTest {
  private static final Optional<String> UI = Optional.of("http://127.0.0.1:5050/");
  private static final Optional<String> FW = Optional.of("f-1");
  private static final Optional<String> EX = Optional.of("ferry-exec 2");
  private static final Optional<String> AG = Optional.of("a-0-S1");

  @Test
  void realMesossUiRoutesTheExecutorsBrowsePageToItsSandbox() {
    assertThat(ExecutorLogs.link(UI, FW, false, EX, AG))
        .contains("http://127.0.0.1:5050/#/agents/a-0-S1/frameworks/f-1/executors/ferry-exec%202/browse");
  }

  @Test
  void mesosLocalsUiTailsTheSandboxsStderr() {
    assertThat(ExecutorLogs.link(UI, FW, true, EX, AG))
        .contains("http://127.0.0.1:5050/#/sandbox/a-0-S1/f-1/ferry-exec%202/stderr");
  }

  @Test
  void nothingWhenAnythingIsUnknown() {
    assertThat(ExecutorLogs.link(Optional.empty(), FW, true, EX, AG)).isEmpty();
    assertThat(ExecutorLogs.link(UI, Optional.empty(), true, EX, AG)).isEmpty();
    assertThat(ExecutorLogs.link(UI, FW, true, Optional.empty(), AG)).isEmpty();
    assertThat(ExecutorLogs.link(UI, FW, true, EX, Optional.empty())).isEmpty();
  }

  @Test
  void encodesAllButUnreservedCharacters() {
    assertThat(ExecutorLogs.encode("a/b c#d%é~_.-")).isEqualTo("a%2Fb%20c%23d%25%C3%A9~_.-");
  }
}
