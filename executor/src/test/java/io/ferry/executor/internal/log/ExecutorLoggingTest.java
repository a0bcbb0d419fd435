package io.ferry.executor.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ExecutorLoggingTest {

  @Test
  void utcTimestampsMatchJavaTime() {
    DateTimeFormatter iso = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    long[] fixed = {0L, -1L, 951_782_400_000L /* 2000-02-29 */, 4_107_542_399_999L /* 2100-02-28T23:59:59.999 */,
        1_796_577_368_842L, 253_402_300_799_999L /* 9999-12-31T23:59:59.999 */};
    for (long millis : fixed) {
      assertThat(format(millis)).isEqualTo(iso.format(Instant.ofEpochMilli(millis)));
    }
    for (int i = 0; i < 100_000; i++) {
      long millis = ThreadLocalRandom.current().nextLong(0, 253_402_300_800_000L);
      assertThat(format(millis)).as("epoch millis %d", millis).isEqualTo(iso.format(Instant.ofEpochMilli(millis)));
    }
  }

  @Test
  void levelsComeFromTheNearestNamedParentElseTheDefault() {
    Properties p = new Properties();
    p.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    p.setProperty("org.slf4j.simpleLogger.log.io.ferry", "info");
    p.setProperty("org.slf4j.simpleLogger.log.io.ferry.rpc", "debug");
    p.setProperty("org.slf4j.simpleLogger.log.org.apache.zookeeper", "off");
    LogSettings settings = LogSettings.from(p);
    assertThat(settings.levelOf("io.ferry.executor.internal.ExecutorCore")).isEqualTo(LogSettings.INFO);
    assertThat(settings.levelOf("io.ferry.rpc.RpcClient")).isEqualTo(LogSettings.DEBUG);
    assertThat(settings.levelOf("io.netty.channel.Foo")).isEqualTo(LogSettings.WARN);
    assertThat(settings.levelOf("org.apache.zookeeper.ClientCnxn")).isEqualTo(LogSettings.OFF);
    assertThat(LogSettings.from(new Properties()).levelOf("x.Y")).isEqualTo(LogSettings.INFO);
  }

  @Test
  void writesSlf4jSimplesLineWithFerrysTimestamp() throws Exception {
    Properties p = new Properties();
    p.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    p.setProperty("org.slf4j.simpleLogger.log.io.ferry", "info");
    p.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    p.setProperty("org.slf4j.simpleLogger.dateTimeFormat", LogSettings.ISO_PATTERN);
    p.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    LogSettings settings = withOutput(LogSettings.from(p), bytes);
    new ExecutorLogger("io.ferry.executor.X", settings).info("{} subscribing to {}", "[executor=e1]", "agent");
    new ExecutorLogger("io.ferry.executor.X", settings).debug("not shown");
    new ExecutorLogger("io.netty.Y", settings).info("not shown either");
    new ExecutorLogger("io.netty.Y", settings).warn("shown", new IllegalStateException("boom"));
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines[0]).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO io\\.ferry\\.executor\\.X"
        + " - \\[executor=e1\\] subscribing to agent");
    assertThat(lines[1]).matches("\\S+ WARN io\\.netty\\.Y - shown");
    assertThat(lines[2]).isEqualTo("java.lang.IllegalStateException: boom");
    assertThat(lines[3]).startsWith("\tat ");
    assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("not shown");
  }

  @Test
  void otherPatternsAndFlagsAsSlf4jSimple() {
    Properties p = new Properties();
    p.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    p.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy");
    p.setProperty("org.slf4j.simpleLogger.levelInBrackets", "true");
    p.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
    p.setProperty("org.slf4j.simpleLogger.warnLevelString", "WARNING");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    LogSettings settings = withOutput(LogSettings.from(p), bytes);
    Thread.currentThread().setName("t1");
    new ExecutorLogger("a.b.C", settings).warn("w");
    assertThat(bytes.toString(StandardCharsets.UTF_8)).matches("\\d{4} \\[t1\\] \\[WARNING\\] C - w\\R");

    Properties plain = new Properties();
    ByteArrayOutputStream out2 = new ByteArrayOutputStream();
    new ExecutorLogger("a.b.C", withOutput(LogSettings.from(plain), out2)).info("i");
    assertThat(out2.toString(StandardCharsets.UTF_8)).isEqualTo("[t1] INFO a.b.C - i" + System.lineSeparator());
  }

  private static String format(long millis) {
    StringBuilder out = new StringBuilder();
    UtcTimestamp.append(out, millis);
    return out.toString();
  }

  private static LogSettings withOutput(LogSettings s, ByteArrayOutputStream bytes) {
    return new LogSettings(s.levels(), s.defaultLevel(), s.timestamps(), s.dateTimeFormat(), s.showThreadName(),
        s.showLogName(), s.showShortLogName(), s.levelInBrackets(), s.warnLevelString(),
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
  }
}
