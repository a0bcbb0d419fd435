package io.ferry.packager.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hadoop's ways of choosing a log level, mapped to slf4j-simple. */
@Timeout(10)
class ShimLoggingTest {

  @Test
  @Timeout(10)
  void readsHadoopRootLoggerSpecs() {
    assertThat(ShimLogging.slf4jLevel("DEBUG,console")).isEqualTo("debug");
    assertThat(ShimLogging.slf4jLevel("INFO,RFA")).isEqualTo("info");
    assertThat(ShimLogging.slf4jLevel("FATAL")).isEqualTo("error");
    assertThat(ShimLogging.slf4jLevel("ALL,console")).isEqualTo("trace");
    assertThat(ShimLogging.slf4jLevel("LOUD")).isNull();
    assertThat(ShimLogging.slf4jLevel(" ")).isNull();
  }

  @Test
  @Timeout(10)
  void loglevelCountsOnlyBeforeTheSubcommand() {
    String[] args = {"--config", "/etc/hadoop", "--loglevel", "WARN", "fs"};

    assertThat(ShimLogging.levelFromArgs(args)).isEqualTo("warn");
    assertThat(ShimLogging.levelFromArgs(new String[] {"fs", "--loglevel", "DEBUG"})).isNull();
  }
}
