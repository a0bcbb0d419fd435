package io.ferry.driver.mesos.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ferry.driver.mesos.ZkMasterDetector.Leader;
import io.ferry.mesos.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import org.apache.mesos.v1.Protos.MasterInfo;

/**
 * How Mesos masters describe themselves in ZooKeeper (the digest, section 3): each has an
 * ephemeral sequential child {@code <label>_<seq>} of the masters' path; the lowest sequence
 * leads. The label gives the format: {@code json.info} (JSON MasterInfo), {@code info} (binary
 * MasterInfo, deprecated), none (the text {@code master@ip:port}).
 */
public final class MasterNodes {

  private MasterNodes() {}

  /** The member with the lowest sequence; names whose last {@code _} part is not a number (log_replicas) are not members. */
  public static Optional<String> leaderNode(Collection<String> children) {
    return children.stream().filter(MasterNodes::isMember).min(Comparator.comparingLong(MasterNodes::sequence));
  }

  static boolean isMember(String name) {
    String last = name.substring(name.lastIndexOf('_') + 1);
    return !last.isEmpty() && last.length() <= 18 && last.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  static long sequence(String name) {
    return Long.parseLong(name.substring(name.lastIndexOf('_') + 1));
  }

  /**
   * The leader's address from its node's data.
   *
   * @throws IllegalArgumentException naming the node when its data cannot be read as its label says
   */
  public static Leader parse(String node, byte[] data) {
    int underscore = node.lastIndexOf('_');
    String label = underscore < 0 ? "" : node.substring(0, underscore);
    try {
      if (label.equals("json.info")) {
        return fromInfo(node, ContentType.JSON.decode(data, MasterInfo.newBuilder()));
      }
      if (label.equals("info")) {
        return fromInfo(node, MasterInfo.parseFrom(data));
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("ZooKeeper node " + node + ": not a " + label + " MasterInfo ("
          + e.getMessage() + ")", e);
    }
    return fromPid(node, new String(data, StandardCharsets.UTF_8).strip());
  }

  /** {@code address{ip,hostname,port}} first (an IP needs no lookup), then the legacy hostname/ip/port fields. */
  static Leader fromInfo(String node, MasterInfo info) {
    String host = null;
    int port = 0;
    if (info.hasAddress()) {
      host = !info.getAddress().getIp().isEmpty() ? info.getAddress().getIp() : info.getAddress().getHostname();
      port = info.getAddress().getPort();
    }
    if (host == null || host.isEmpty()) {
      host = !info.getHostname().isEmpty() ? info.getHostname() : info.hasIp() ? legacyIp(info.getIp()) : null;
    }
    if (port == 0) {
      port = info.getPort();
    }
    if (host == null || host.isEmpty() || port < 1 || port > 65535) {
      throw new IllegalArgumentException("ZooKeeper node " + node + ": MasterInfo has no usable address (address="
          + info.getAddress().toString().replace('\n', ' ') + ", hostname=" + info.getHostname() + ", port="
          + info.getPort() + ")");
    }
    return new Leader(host, port, Optional.of(info));
  }

  /** {@code master@10.0.0.5:5050}. */
  static Leader fromPid(String node, String pid) {
    String address = pid.substring(pid.indexOf('@') + 1);
    int colon = address.lastIndexOf(':');
    try {
      int port = Integer.parseInt(address.substring(colon + 1));
      if (colon > 0 && port >= 1 && port <= 65535) {
        return new Leader(address.substring(0, colon), port, Optional.empty());
      }
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      // reported below
    }
    throw new IllegalArgumentException("ZooKeeper node " + node + ": '" + pid + "' (expected: master@ip:port)");
  }

  /** MasterInfo.ip: the IPv4 address in network order read as a little-endian uint32 (10.0.0.1 is 16777226). */
  static String legacyIp(int ip) {
    return (ip & 0xff) + "." + ((ip >>> 8) & 0xff) + "." + ((ip >>> 16) & 0xff) + "." + ((ip >>> 24) & 0xff);
  }
}
