package io.ferry.mesos.local.agent;

import io.ferry.mesos.MesosDurations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;

/**
 * The environment an executor process starts with: exactly what Mesos's containerizer sets, and
 * nothing inherited from the agent (the digest, section 1, "Environment"). Layers, each overriding
 * the ones before: the {@code MESOS_*} table, the agent's {@code --executor_environment_variables},
 * the isolators' (a container image's {@code Env}), then {@code CommandInfo.environment}. {@code PATH} gets a default if still unset.
 */
public final class ExecutorEnvironment {

  /** Mesos's default PATH for containers. */
  public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /**
   * The agent-wide inputs.
   *
   * @param agentIp the agent's IP as executors reach it
   * @param agentPort the agent's HTTP port
   * @param agentId the agent's ID
   * @param checkpoint whether the framework checkpoints (decides the recovery variables)
   * @param recoveryTimeout {@code --recovery_timeout} (15 mins by default)
   * @param reregistrationTimeout {@code --executor_reregistration_timeout} (2 secs by default)
   * @param agentEnvironment {@code --executor_environment_variables}
   */
  public record AgentSide(String agentIp, int agentPort, String agentId, boolean checkpoint,
      Duration recoveryTimeout, Duration reregistrationTimeout, Map<String, String> agentEnvironment) {}

  private ExecutorEnvironment() {}

  public static Map<String, String> build(AgentSide agent, String frameworkId, String executorId, Path sandbox,
      Duration shutdownGracePeriod, boolean httpCommandExecutor, Optional<String> authenticationToken,
      CommandInfo command) {
    return build(agent, frameworkId, executorId, sandbox, sandbox.toString(), shutdownGracePeriod, httpCommandExecutor,
        authenticationToken, command, Map.of());
  }

  /**
   * The environment of a container with an image: {@code MESOS_SANDBOX} is where the sandbox is
   * mounted inside it ({@code containerSandbox}, Mesos's {@code --sandbox_directory}), and the
   * image's own {@code Env} is the isolator layer (Mesos's docker runtime isolator), between the
   * agent's variables and {@code CommandInfo.environment}; the default {@code PATH} only if none set it.
   */
  public static Map<String, String> forImage(AgentSide agent, String frameworkId, String executorId, Path sandbox,
      String containerSandbox, Duration shutdownGracePeriod, Optional<String> authenticationToken, CommandInfo command,
      Map<String, String> imageEnvironment) {
    return build(agent, frameworkId, executorId, sandbox, containerSandbox, shutdownGracePeriod, false,
        authenticationToken, command, imageEnvironment);
  }

  private static Map<String, String> build(AgentSide agent, String frameworkId, String executorId, Path sandbox,
      String mesosSandbox, Duration shutdownGracePeriod, boolean httpCommandExecutor,
      Optional<String> authenticationToken, CommandInfo command, Map<String, String> isolatorEnvironment) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("MESOS_FRAMEWORK_ID", frameworkId);
    env.put("MESOS_EXECUTOR_ID", executorId);
    env.put("MESOS_AGENT_ENDPOINT", agent.agentIp() + ":" + agent.agentPort());
    env.put("MESOS_SLAVE_ID", agent.agentId());
    env.put("MESOS_SLAVE_PID", "slave(1)@" + agent.agentIp() + ":" + agent.agentPort());
    env.put("MESOS_DIRECTORY", sandbox.toString());
    env.put("MESOS_SANDBOX", mesosSandbox);
    env.put("MESOS_CHECKPOINT", agent.checkpoint() ? "1" : "0");
    if (agent.checkpoint()) {
      env.put("MESOS_RECOVERY_TIMEOUT", MesosDurations.format(agent.recoveryTimeout()));
      env.put("MESOS_SUBSCRIPTION_BACKOFF_MAX", MesosDurations.format(agent.reregistrationTimeout()));
    }
    env.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", MesosDurations.format(shutdownGracePeriod));
    env.put("MESOS_HTTP_COMMAND_EXECUTOR", httpCommandExecutor ? "1" : "0");
    authenticationToken.ifPresent(token -> env.put("MESOS_EXECUTOR_AUTHENTICATION_TOKEN", token));
    env.put("LIBPROCESS_PORT", "0");
    env.putAll(agent.agentEnvironment());
    env.putAll(isolatorEnvironment);
    for (Environment.Variable v : command.getEnvironment().getVariablesList()) {
      if (v.getType() == Environment.Variable.Type.SECRET) {
        throw new IllegalArgumentException("environment variable " + v.getName()
            + ": secrets are not supported by mesos-local");
      }
      env.put(v.getName(), v.getValue());
    }
    env.putIfAbsent("PATH", DEFAULT_PATH);
    return env;
  }
}
