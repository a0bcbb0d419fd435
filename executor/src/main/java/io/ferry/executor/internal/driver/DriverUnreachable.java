package io.ferry.executor.internal.driver;

/** The one stderr paragraph for a driver the executor cannot reach, and the short reason for Mesos. */
final class DriverUnreachable {
  private DriverUnreachable() {}

  static String reason(String host, int port, String cause) {
    return "cannot reach the Ferry driver at " + host + ":" + port + " (" + cause + "): check firewalls between"
        + " agent and driver, the driver's advertised address (ferry.driver.host), and that the driver is"
        + " still running";
  }

  static String paragraph(String host, int port, String cause, String appId, String agentHost) {
    return "ferry-executor: cannot reach the Ferry driver at " + host + ":" + port + " (" + cause + ")."
        + " This executor" + (agentHost.isEmpty() ? "" : " on " + agentHost) + " was launched for application "
        + (appId.isEmpty() ? "(unnamed)" : appId) + " and must connect back to its driver, but could not."
        + " Likely causes: a firewall or security group blocks TCP port " + port + " from this agent to the"
        + " driver; the driver advertises an address agents cannot reach (set ferry.driver.host to an"
        + " address of the driver's machine that agents can route to, and ferry.driver.port if only some"
        + " ports are open); or the driver has exited. The task fails with this reason and the executor exits.";
  }
}
