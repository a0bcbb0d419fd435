package io.ferry.mesos.local.agent;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.NetworkInfo;

/**
 * The CNI networks an agent knows (Mesos's {@code --network_cni_config_dir}, one configuration per
 * network), checked as Mesos's {@code network/cni} isolator checks a container in its
 * {@code prepare}: each {@code NetworkInfo} with a name in {@code ContainerInfo.network_infos} must
 * name a known network, at most once, else the launch fails ({@code Unknown CNI network 'x'},
 * which the agent reports as {@code TASK_FAILED} with {@code REASON_CONTAINER_LAUNCH_FAILED}).
 *
 * <p>The emulation stops there: a known network is joined by name only. No network namespace,
 * interface or address is made; the executor shares the host's network, and the container's status
 * reports the {@code NetworkInfo}s asked for (name and labels) without IP addresses.
 */
public final class CniNetworks {

  /** An agent without CNI networks (the default). */
  public static final CniNetworks NONE = new CniNetworks(Set.of());

  private final Set<String> known;

  public CniNetworks(Set<String> known) {
    this.known = Set.copyOf(known);
  }

  /** @throws IOException with Mesos's message when the executor's container joins an unknown network, or one twice */
  void check(ExecutorInfo executor) throws IOException {
    Set<String> joined = new HashSet<>();
    for (NetworkInfo network : named(executor)) {
      String name = network.getName();
      if (!known.contains(name)) {
        throw new IOException("Unknown CNI network '" + name + "'");
      }
      if (!joined.add(name)) {
        throw new IOException("Attempted to join CNI network '" + name + "' multiple times");
      }
    }
  }

  /**
   * The networks the executor's container joined, as the isolator's {@code status} reports them in
   * {@code ContainerStatus.network_infos} (here without IP addresses).
   */
  static List<NetworkInfo> joined(ExecutorInfo executor) {
    return named(executor);
  }

  private static List<NetworkInfo> named(ExecutorInfo executor) {
    if (!executor.hasContainer() || executor.getContainer().getType() != ContainerInfo.Type.MESOS) {
      return List.of();
    }
    List<NetworkInfo> named = new ArrayList<>();
    for (NetworkInfo network : executor.getContainer().getNetworkInfosList()) {
      if (network.hasName()) {
        named.add(network);
      }
    }
    return named;
  }

  @Override
  public String toString() {
    return known.toString();
  }
}
