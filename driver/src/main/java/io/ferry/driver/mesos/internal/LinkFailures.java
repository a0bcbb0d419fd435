package io.ferry.driver.mesos.internal;

import io.ferry.driver.MasterUrl;
import io.ferry.driver.mesos.SchedulerLinkConfig;
import io.ferry.mesos.http.MesosClientException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Which subscription failures are fatal, and the one line that says what to check for each. A
 * refused credential or a rejected FrameworkInfo will not get better by retrying; an unreachable or
 * leaderless master might, until the registration timeout.
 */
public final class LinkFailures {

  private static final String SECRET_HINT = "check ferry.mesos.principal and the secret in ferry.mesos.secretFile"
      + " or env FERRY_MESOS_SECRET";

  private LinkFailures() {}

  /** A fatal SUBSCRIBE failure's message, or empty when the failure is worth retrying. */
  public static Optional<String> fatal(Throwable cause, SchedulerLinkConfig config, String target) {
    if (!(cause instanceof MesosClientException e)) {
      return Optional.empty();
    }
    String status = e.status() + (e.body().isEmpty() ? "" : " " + e.body());
    String principal = config.principal().map(p -> "principal '" + p + "'").orElse("no principal");
    return Optional.of(switch (e.status()) {
      case 401 -> "the Mesos master at " + target + " refused the framework's credentials (" + principal
          + (config.secret().isPresent() ? " with a secret" : ", no secret sent") + "; " + status + "): " + SECRET_HINT;
      case 403 -> "the Mesos master at " + target + " does not allow " + principal + " to subscribe (" + status
          + "): check the master's ACLs, ferry.mesos.principal and ferry.mesos.role";
      default -> "the Mesos master at " + target + " rejected the subscription (" + status + ")" + hint(e.body());
    });
  }

  /** The message of a fatal ERROR event. */
  public static String errorEvent(String target, String message) {
    return "the Mesos master at " + target + " ended the framework: " + message + hint(message);
  }

  /** Gave up on the first subscription. */
  public static String registrationTimedOut(SchedulerLinkConfig config, String target, String lastFailure) {
    Duration timeout = config.registrationTimeout();
    String within = " within " + format(timeout);
    if (target == null && config.master() instanceof MasterUrl.ZooKeeper zk) {
      return "no leading Mesos master in ZooKeeper " + zk + within + (lastFailure == null ? "" : " (" + lastFailure + ")")
          + ": check that ZooKeeper at " + zk.connectString() + " is reachable and that masters register under "
          + zk.path() + ", or raise ferry.mesos.registrationTimeout";
    }
    return "cannot subscribe to the Mesos master at " + target + within
        + (lastFailure == null ? "" : " (last attempt: " + lastFailure + ")")
        + ": check ferry.master, that the master is running and reachable from this host (firewall,"
        + " its --advertise_ip), or raise ferry.mesos.registrationTimeout";
  }

  private static String hint(String body) {
    String lower = body.toLowerCase(Locale.ROOT);
    if (lower.contains("removed")) {
      return "; the framework was removed (torn down, or disconnected for longer than ferry.mesos.failoverTimeout):"
          + " start the driver again as a new framework";
    }
    if (lower.contains("failed over")) {
      return "; another driver subscribed with this framework ID";
    }
    if (lower.contains("principal")) {
      return "; check ferry.mesos.principal";
    }
    if (lower.contains("role")) {
      return "; check ferry.mesos.role";
    }
    return "; check the driver's ferry.mesos.* settings";
  }

  public static String format(Duration d) {
    if (d.toMillis() < 1000) {
      return d.toMillis() + "ms";
    }
    return d.toString().substring(2).toLowerCase(Locale.ROOT);
  }
}
