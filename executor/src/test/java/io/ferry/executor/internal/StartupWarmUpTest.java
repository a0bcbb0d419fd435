package io.ferry.executor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class StartupWarmUpTest {

  @Test
  void nettyWarmUpRunsAnHttpExchangeInMemory() {
    // The in-memory exchange really went through the HTTP codec (not swallowed by a failure).
    assertThat(StartupWarmUp.runNetty()).isEqualTo(202);
  }

  @Test
  void bothThreadsAreDaemonsAndEnd() throws InterruptedException {
    Thread[] threads = StartupWarmUp.start();
    assertThat(threads).extracting(Thread::getName)
        .containsExactly(StartupWarmUp.THREAD, StartupWarmUp.NETTY_THREAD);
    for (Thread t : threads) {
      assertThat(t.isDaemon()).isTrue();
      t.join(20_000);
      assertThat(t.isAlive()).as(t.getName()).isFalse();
    }
  }
}
