package io.ferry.executor;

import io.ferry.mesos.MesosDurations;
import io.ferry.mesos.http.MesosAuthorization;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the agent told the executor through its {@code MESOS_*} environment, parsed and checked
 * in one place ({@link #fromEnvironment}); every bad variable is reported together.
 *
 * <pre>{@code
 * ExecutorSettings settings = ExecutorSettings.fromEnvironment(System.getenv());
 * }</pre>
 *
 * @param frameworkId {@code MESOS_FRAMEWORK_ID}
 * @param executorId {@code MESOS_EXECUTOR_ID}
 * @param agentEndpoint {@code MESOS_AGENT_ENDPOINT}, {@code host:port}
 * @param agentId {@code MESOS_SLAVE_ID}, when set
 * @param sandbox {@code MESOS_SANDBOX}, else {@code MESOS_DIRECTORY}, else the working directory
 * @param checkpoint {@code MESOS_CHECKPOINT} ({@code 1}/{@code 0}, default 0): whether to wait for
 *     a restarted agent (true) or exit when the agent connection is lost (false)
 * @param recoveryTimeout {@code MESOS_RECOVERY_TIMEOUT} (default 15mins): how long to wait for the
 *     agent to come back; without checkpointing, how long the first SUBSCRIBE may keep retrying
 *     (then 1 min, the agent's own registration timeout)
 * @param subscriptionBackoffMax {@code MESOS_SUBSCRIPTION_BACKOFF_MAX} (default 2secs): resubscribe
 *     attempts wait a random time in {@code [0, this]}
 * @param shutdownGracePeriod {@code MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD} (default 5secs): the
 *     agent destroys the executor this long after SHUTDOWN
 * @param authorization the bearer token of {@code MESOS_EXECUTOR_AUTHENTICATION_TOKEN}, or none;
 *     never printed
 */
public record ExecutorSettings(String frameworkId, String executorId, String agentEndpoint, Optional<String> agentId,
    Path sandbox, boolean checkpoint, Duration recoveryTimeout, Duration subscriptionBackoffMax,
    Duration shutdownGracePeriod, MesosAuthorization authorization) {

  static final String FRAMEWORK_ID = "MESOS_FRAMEWORK_ID";
  static final String EXECUTOR_ID = "MESOS_EXECUTOR_ID";
  static final String AGENT_ENDPOINT = "MESOS_AGENT_ENDPOINT";

  /** Without checkpointing Mesos sets no recovery timeout; its registration timeout is 1 min. */
  static final Duration FIRST_SUBSCRIBE_WINDOW = Duration.ofMinutes(1);

  /** Started by hand rather than by a Mesos agent: none of the agent's variables are set. */
  public static final class NotUnderMesosException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    NotUnderMesosException() {
      super("ferry-executor must be started by a Mesos agent (MESOS_AGENT_ENDPOINT, MESOS_FRAMEWORK_ID and"
          + " MESOS_EXECUTOR_ID are not set); the Ferry driver launches it through Mesos, so run your"
          + " application with --master mesos://... instead");
    }
  }

  /**
   * Parses the agent's variables.
   *
   * @throws NotUnderMesosException when none of the agent's variables is set
   * @throws IllegalArgumentException naming every bad or missing variable and its value
   */
  public static ExecutorSettings fromEnvironment(Map<String, String> env) {
    if (blank(env.get(FRAMEWORK_ID)) && blank(env.get(EXECUTOR_ID)) && blank(env.get(AGENT_ENDPOINT))) {
      throw new NotUnderMesosException();
    }
    List<String> errors = new ArrayList<>();
    String framework = required(env, FRAMEWORK_ID, errors);
    String executor = required(env, EXECUTOR_ID, errors);
    String endpoint = required(env, AGENT_ENDPOINT, errors);
    if (endpoint != null && !endpoint.matches("^(\\[[0-9A-Fa-f:.]+]|[^:\\s/\\[\\]]+):[0-9]{1,5}$")) {
      errors.add(AGENT_ENDPOINT + "='" + endpoint + "' (expected: host:port, e.g. 10.0.0.5:5051)");
    }
    boolean checkpoint = false;
    String checkpointText = env.get("MESOS_CHECKPOINT");
    if (checkpointText != null && !checkpointText.isEmpty()) {
      if (checkpointText.equals("1")) {
        checkpoint = true;
      } else if (!checkpointText.equals("0")) {
        errors.add("MESOS_CHECKPOINT='" + checkpointText + "' (expected: 1 or 0)");
      }
    }
    Duration recovery = duration(env, "MESOS_RECOVERY_TIMEOUT", Duration.ofMinutes(15), errors);
    Duration backoff = duration(env, "MESOS_SUBSCRIPTION_BACKOFF_MAX", Duration.ofSeconds(2), errors);
    Duration grace = duration(env, "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", Duration.ofSeconds(5), errors);
    if (grace != null && grace.isZero()) {
      errors.add("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD='" + env.get("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD")
          + "' (expected: > 0)");
    }
    String sandboxText = firstSet(env.get("MESOS_SANDBOX"), env.get("MESOS_DIRECTORY"));
    Path sandbox = Path.of(sandboxText == null ? "" : sandboxText).toAbsolutePath();
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("ferry-executor: bad Mesos environment: " + String.join("; ", errors)
          + ". The agent sets these variables; check the agent's --executor_environment_variables and the"
          + " executor's CommandInfo.environment");
    }
    String agent = env.get("MESOS_SLAVE_ID");
    return new ExecutorSettings(framework, executor, endpoint, blank(agent) ? Optional.empty() : Optional.of(agent),
        sandbox, checkpoint, recovery, backoff, grace, MesosAuthorization.fromExecutorEnvironment(env));
  }

  /** How long the first SUBSCRIBE (or a resubscribe) may keep failing before the executor gives up. */
  public Duration subscribeWindow() {
    return checkpoint ? recoveryTimeout : FIRST_SUBSCRIBE_WINDOW;
  }

  private static String required(Map<String, String> env, String name, List<String> errors) {
    String value = env.get(name);
    if (blank(value)) {
      errors.add(name + " is not set");
      return null;
    }
    return value.trim();
  }

  private static Duration duration(Map<String, String> env, String name, Duration fallback, List<String> errors) {
    String text = env.get(name);
    if (blank(text)) {
      return fallback;
    }
    try {
      return MesosDurations.parse(text);
    } catch (IllegalArgumentException e) {
      errors.add(name + "='" + text + "' (expected: a number and one of ns, us, ms, secs, mins, hrs, days, weeks,"
          + " e.g. 5secs)");
      return null;
    }
  }

  private static String firstSet(String a, String b) {
    return !blank(a) ? a : blank(b) ? null : b;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  @Override
  public String toString() {
    return "ExecutorSettings[frameworkId=" + frameworkId + ", executorId=" + executorId + ", agentEndpoint="
        + agentEndpoint + ", agentId=" + agentId.orElse("?") + ", sandbox=" + sandbox + ", checkpoint=" + checkpoint
        + ", recoveryTimeout=" + MesosDurations.format(recoveryTimeout) + ", subscriptionBackoffMax="
        + MesosDurations.format(subscriptionBackoffMax) + ", shutdownGracePeriod="
        + MesosDurations.format(shutdownGracePeriod) + ", authorization="
        + (authorization == MesosAuthorization.none() ? "none" : "[REDACTED]") + "]";
  }
}
