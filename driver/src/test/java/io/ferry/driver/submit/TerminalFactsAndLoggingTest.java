package io.ferry.driver.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How ferry-submit decides where its output goes and which log levels its console shows. */
@Timeout(10)
class TerminalFactsAndLoggingTest {

  @Test
  void theLaunchersAnswersWinOverSystemConsoleAndTermDumbIsNoTerminal() {
    Map<String, String> launcher = Map.of(TerminalFacts.STDERR_TTY, "true", TerminalFacts.STDOUT_TTY, "false",
        TerminalFacts.COLUMNS, "132");
    assertThat(TerminalFacts.detect(launcher, Map.of("TERM", "xterm"), false))
        .isEqualTo(new TerminalFacts(true, false, 132));
    assertThat(TerminalFacts.detect(launcher, Map.of("TERM", "dumb"), true).stderrTerminal()).isFalse();
    assertThat(TerminalFacts.detect(Map.of(TerminalFacts.STDERR_TTY, "false"), Map.of(), true).stderrTerminal())
        .as("stderr piped while stdin and stdout are a console").isFalse();
    assertThat(TerminalFacts.detect(Map.of(), Map.of("COLUMNS", "100"), true))
        .as("run without the launcher: System.console() stands in").isEqualTo(new TerminalFacts(true, true, 100));
    assertThat(TerminalFacts.detect(Map.of(TerminalFacts.COLUMNS, "0"), Map.of("COLUMNS", "x"), false).columns())
        .isEqualTo(TerminalFacts.DEFAULT_COLUMNS);
  }

  @Test
  void ferryPrintsWarningsByDefaultUnlessTheUserSaidOtherwise() {
    Properties system = new Properties();
    VerboseLogging.configure(false, system, new Properties());
    assertThat(system.getProperty(VerboseLogging.FERRY)).isEqualTo("warn");

    Properties fromFile = new Properties();
    fromFile.setProperty(VerboseLogging.FERRY, "info");
    system = new Properties();
    VerboseLogging.configure(false, system, fromFile);
    assertThat(system.getProperty(VerboseLogging.FERRY)).as("conf/simplelogger.properties wins").isNull();

    system = new Properties();
    system.setProperty(VerboseLogging.FERRY, "info");
    VerboseLogging.configure(false, system, new Properties());
    assertThat(system.getProperty(VerboseLogging.FERRY)).as("-D wins").isEqualTo("info");
  }

  @Test
  void aConsoleThatShowsWhatALoggerSaysTurnsItOffUnlessTheUserSetALevel() {
    String key = "org.slf4j.simpleLogger.log.io.ferry.driver.scheduling.TaskScheduler.failures";
    List<String> repeats = List.of(io.ferry.driver.scheduling.TaskScheduler.FAILURES_LOGGER);
    Properties system = new Properties();
    VerboseLogging.configure(false, repeats, system, new Properties());
    assertThat(system.getProperty(key)).isEqualTo("off");
    assertThat(system.getProperty(VerboseLogging.FERRY)).isEqualTo("warn");

    system = new Properties();
    VerboseLogging.configure(true, repeats, system, new Properties());
    assertThat(system.getProperty(key)).as("--verbose").isNull();

    Properties fromFile = new Properties();
    fromFile.setProperty(VerboseLogging.FERRY, "info");
    system = new Properties();
    VerboseLogging.configure(false, repeats, system, fromFile);
    assertThat(system.getProperty(key)).as("the user's level for Ferry").isNull();

    system = new Properties();
    system.setProperty(key, "error");
    VerboseLogging.configure(false, repeats, system, new Properties());
    assertThat(system.getProperty(key)).as("the user's level for that logger").isEqualTo("error");
  }

  @Test
  void verboseShowsFerrysDebugAndOtherLibrariesInfoButKeepsTheUsersOwnProperties() {
    Properties system = new Properties();
    system.setProperty("org.slf4j.simpleLogger.log.org.apache.zookeeper", "warn");
    Properties fromFile = new Properties();
    fromFile.setProperty(VerboseLogging.FERRY, "warn");
    VerboseLogging.configure(true, system, fromFile);
    assertThat(system.getProperty(VerboseLogging.FERRY)).isEqualTo("debug");
    assertThat(system.getProperty("org.slf4j.simpleLogger.defaultLogLevel")).isEqualTo("info");
    assertThat(system.getProperty("org.slf4j.simpleLogger.log.org.apache.zookeeper")).isEqualTo("warn");
  }

  @Test
  void theDistributionsFileLeavesFerrysLevelToEachTool() throws Exception {
    Properties shipped = new Properties();
    try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("../conf/simplelogger.properties"))) {
      shipped.load(in);
    }
    assertThat(shipped).doesNotContainKey(VerboseLogging.FERRY);
    assertThat(shipped.getProperty("org.slf4j.simpleLogger.defaultLogLevel")).isEqualTo("warn");
  }
}
