package io.ferry.driver;

import java.util.Optional;

/**
 * Where the driver finds its cluster, parsed from {@code ferry.master} (Spark's master URL forms).
 *
 * <pre>{@code
 * switch (MasterUrl.parse("mesos://zk://zk1:2181,zk2:2181/mesos")) {
 *   case MasterUrl.Mesos m -> ...          // mesos://10.0.0.5:5050
 *   case MasterUrl.ZooKeeper zk -> ...     // follow the leader elected in ZooKeeper
 *   case MasterUrl.Local l -> ...          // local[N]: executors in this JVM
 *   case MasterUrl.LocalCluster lc -> ...  // local-cluster[2,2,1024]: start mesos-local
 * }
 * }</pre>
 */
public sealed interface MasterUrl permits MasterUrl.Mesos, MasterUrl.ZooKeeper, MasterUrl.Local, MasterUrl.LocalCluster {

  /** The forms {@link #parse} accepts, for error messages. */
  String ACCEPTED_FORMS = "mesos://host:port, mesos://zk://[user:pass@]h1:2181,h2:2181/mesos, zk://h1:2181/mesos,"
      + " local, local[N], local[*], local-cluster[agents,cpus,memMB]";

  /** Mesos's default master port, used when a {@code mesos://} URL names none. */
  int DEFAULT_MESOS_PORT = 5050;

  /** Whether the driver talks to a Mesos master (directly, through ZooKeeper, or a local-cluster's). */
  default boolean usesMesos() {
    return !(this instanceof Local);
  }

  /** One Mesos master, {@code mesos://host:port}; 307s from a non-leader are followed. */
  record Mesos(String host, int port) implements MasterUrl {
    public Mesos {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("host: empty (expected: a host name or IP address)");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
      }
    }

    /** {@code http://host:port}, the master's HTTP endpoint. */
    public String httpEndpoint() {
      return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
      return "mesos://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  /**
   * Masters that elect a leader in ZooKeeper: {@code mesos://zk://[user:pass@]h1:2181,h2:2181/mesos}.
   *
   * @param connectString the ensemble, {@code h1:2181,h2:2181}
   * @param path the masters' znode, e.g. {@code /mesos}
   * @param credentials {@code user:pass} for ZooKeeper's digest scheme; printed as {@code [REDACTED]}
   */
  record ZooKeeper(String connectString, String path, Optional<String> credentials) implements MasterUrl {
    public ZooKeeper {
      if (connectString == null || connectString.isBlank()) {
        throw new IllegalArgumentException("connectString: empty (expected: h1:2181[,h2:2181...])");
      }
      if (path == null || !path.startsWith("/") || path.length() < 2 || path.endsWith("/")) {
        throw new IllegalArgumentException("path: '" + path + "' (expected: a znode path such as /mesos)");
      }
      credentials = credentials == null ? Optional.empty() : credentials;
    }

    @Override
    public String toString() {
      return "mesos://zk://" + (credentials.isPresent() ? "[REDACTED]@" : "") + connectString + path;
    }
  }

  /** {@code local}, {@code local[N]}, {@code local[*]}: executors in this JVM, no Mesos at all. */
  record Local(int threads) implements MasterUrl {
    public Local {
      if (threads < 1) {
        throw new IllegalArgumentException("threads: " + threads + " (expected: >= 1)");
      }
    }

    @Override
    public String toString() {
      return "local[" + threads + "]";
    }
  }

  /** {@code local-cluster[agents,cpus,memMB]}: a mesos-local master and agents started by the driver. */
  record LocalCluster(int agents, double cpus, long memMb) implements MasterUrl {
    public LocalCluster {
      if (agents < 1 || cpus <= 0 || memMb < 32) {
        throw new IllegalArgumentException("local-cluster[" + agents + "," + cpus + "," + memMb
            + "] (expected: agents >= 1, cpus > 0, memMB >= 32)");
      }
    }

    @Override
    public String toString() {
      String c = cpus == Math.rint(cpus) ? Long.toString((long) cpus) : Double.toString(cpus);
      return "local-cluster[" + agents + "," + c + "," + memMb + "]";
    }
  }

  /**
   * Parses a master URL.
   *
   * @throws IllegalArgumentException with one line naming the URL and the accepted forms
   */
  static MasterUrl parse(String url) {
    return io.ferry.driver.internal.MasterUrlParser.parse(url);
  }
}
