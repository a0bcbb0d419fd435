package io.ferry.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ExecutorSettingsTest {

  static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("MESOS_FRAMEWORK_ID", "fw-1");
    env.put("MESOS_EXECUTOR_ID", "ex-1");
    env.put("MESOS_AGENT_ENDPOINT", "10.0.0.5:5051");
    env.put("MESOS_SLAVE_ID", "agent-S0");
    env.put("MESOS_SANDBOX", "/mnt/mesos/sandbox");
    env.put("MESOS_CHECKPOINT", "1");
    env.put("MESOS_RECOVERY_TIMEOUT", "15mins");
    env.put("MESOS_SUBSCRIPTION_BACKOFF_MAX", "2secs");
    env.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "5secs");
    env.put("MESOS_EXECUTOR_AUTHENTICATION_TOKEN", "eyJ.secret.token");
    return env;
  }

  @Test
  void readsWhatTheAgentSets() {
    ExecutorSettings s = ExecutorSettings.fromEnvironment(env());
    assertThat(s.frameworkId()).isEqualTo("fw-1");
    assertThat(s.executorId()).isEqualTo("ex-1");
    assertThat(s.agentEndpoint()).isEqualTo("10.0.0.5:5051");
    assertThat(s.agentId()).contains("agent-S0");
    assertThat(s.sandbox()).hasToString("/mnt/mesos/sandbox");
    assertThat(s.checkpoint()).isTrue();
    assertThat(s.recoveryTimeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(s.subscriptionBackoffMax()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.shutdownGracePeriod()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.subscribeWindow()).isEqualTo(Duration.ofMinutes(15));
    assertThat(s.authorization().header()).contains("Bearer eyJ.secret.token");
  }

  @Test
  void defaultsWithoutCheckpointing() {
    Map<String, String> env = env();
    env.remove("MESOS_CHECKPOINT");
    env.remove("MESOS_RECOVERY_TIMEOUT");
    env.remove("MESOS_SUBSCRIPTION_BACKOFF_MAX");
    env.remove("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD");
    env.remove("MESOS_EXECUTOR_AUTHENTICATION_TOKEN");
    ExecutorSettings s = ExecutorSettings.fromEnvironment(env);
    assertThat(s.checkpoint()).isFalse();
    assertThat(s.shutdownGracePeriod()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.subscribeWindow()).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.authorization().header()).isEmpty();
  }

  @Test
  void everyBadVariableIsReportedTogetherByName() {
    Map<String, String> env = env();
    env.remove("MESOS_EXECUTOR_ID");
    env.put("MESOS_AGENT_ENDPOINT", "10.0.0.5");
    env.put("MESOS_CHECKPOINT", "yes");
    env.put("MESOS_RECOVERY_TIMEOUT", "15 minutes");
    env.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "0secs");
    assertThatThrownBy(() -> ExecutorSettings.fromEnvironment(env)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MESOS_EXECUTOR_ID is not set")
        .hasMessageContaining("MESOS_AGENT_ENDPOINT='10.0.0.5' (expected: host:port")
        .hasMessageContaining("MESOS_CHECKPOINT='yes' (expected: 1 or 0)")
        .hasMessageContaining("MESOS_RECOVERY_TIMEOUT='15 minutes'")
        .hasMessageContaining("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD='0secs' (expected: > 0)");
  }

  @Test
  void outsideMesosItSaysSo() {
    assertThatThrownBy(() -> ExecutorSettings.fromEnvironment(Map.of("PATH", "/bin")))
        .isInstanceOf(ExecutorSettings.NotUnderMesosException.class)
        .hasMessageContaining("must be started by a Mesos agent");
  }

  @Test
  void theTokenIsNeverPrinted() {
    ExecutorSettings s = ExecutorSettings.fromEnvironment(env());
    assertThat(s.toString()).contains("authorization=[REDACTED]").doesNotContain("secret");
  }
}
