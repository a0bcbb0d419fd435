package io.ferry.mesos.local.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 5, unit = TimeUnit.SECONDS)
class ExecutorEnvironmentTest {

  final ExecutorEnvironment.AgentSide agent = new ExecutorEnvironment.AgentSide("127.0.0.1", 5051, "A-S0", true,
      Duration.ofMinutes(15), Duration.ofSeconds(2), Map.of("JAVA_HOME", "/opt/jdk", "MESOS_CHECKPOINT", "agent-set"));

  @Test
  void theTableThenAgentVariablesThenTheCommandsOwn() {
    CommandInfo command = CommandInfo.newBuilder().setValue("./run").setEnvironment(Environment.newBuilder()
        .addVariables(Environment.Variable.newBuilder().setName("JAVA_HOME").setValue("/mine"))
        .addVariables(Environment.Variable.newBuilder().setName("APP").setValue("x"))).build();
    Map<String, String> env = ExecutorEnvironment.build(agent, "F-1", "e-1", Path.of("/sandbox/run"),
        Duration.ofSeconds(5), false, Optional.of("jwt-token"), command);
    assertThat(env).containsEntry("MESOS_FRAMEWORK_ID", "F-1").containsEntry("MESOS_EXECUTOR_ID", "e-1")
        .containsEntry("MESOS_AGENT_ENDPOINT", "127.0.0.1:5051").containsEntry("MESOS_SLAVE_ID", "A-S0")
        .containsEntry("MESOS_SLAVE_PID", "slave(1)@127.0.0.1:5051")
        .containsEntry("MESOS_DIRECTORY", "/sandbox/run").containsEntry("MESOS_SANDBOX", "/sandbox/run")
        .containsEntry("MESOS_RECOVERY_TIMEOUT", "15mins").containsEntry("MESOS_SUBSCRIPTION_BACKOFF_MAX", "2secs")
        .containsEntry("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "5secs").containsEntry("MESOS_HTTP_COMMAND_EXECUTOR", "0")
        .containsEntry("MESOS_EXECUTOR_AUTHENTICATION_TOKEN", "jwt-token").containsEntry("LIBPROCESS_PORT", "0")
        .containsEntry("MESOS_CHECKPOINT", "agent-set").containsEntry("JAVA_HOME", "/mine").containsEntry("APP", "x")
        .containsEntry("PATH", ExecutorEnvironment.DEFAULT_PATH);
    assertThat(env).doesNotContainKey("HOME");
  }

  @Test
  void noRecoveryVariablesWithoutCheckpointing() {
    ExecutorEnvironment.AgentSide noCheckpoint = new ExecutorEnvironment.AgentSide("127.0.0.1", 5051, "A-S0", false,
        Duration.ofMinutes(15), Duration.ofSeconds(2), Map.of());
    Map<String, String> env = ExecutorEnvironment.build(noCheckpoint, "F", "e", Path.of("/s"), Duration.ofSeconds(5), true,
        Optional.empty(), CommandInfo.newBuilder().setValue("x").build());
    assertThat(env).containsEntry("MESOS_CHECKPOINT", "0").containsEntry("MESOS_HTTP_COMMAND_EXECUTOR", "1")
        .doesNotContainKeys("MESOS_RECOVERY_TIMEOUT", "MESOS_SUBSCRIPTION_BACKOFF_MAX", "MESOS_EXECUTOR_AUTHENTICATION_TOKEN");
  }
}
