package io.ferry.mesos.local.master;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ferry.mesos.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.WatchedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master's part in Mesos's ZooKeeper election (the digest, section 3): it creates an ephemeral
 * sequential {@code <path>/json.info_<seq>} holding its MasterInfo as JSON, and the master with the
 * lowest sequence leads. Children whose name does not end in {@code _<number>} are ignored. The
 * leader's address comes from its node: {@code json.info} (JSON MasterInfo, {@code address} first),
 * {@code info} (binary MasterInfo) or a bare {@code master@ip:port}.
 *
 * <p>Every change is reported to {@code listener} from Curator's event thread.
 */
final class MasterContender implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MasterContender.class);

  private final CuratorFramework zk;
  private final String path;
  private final MasterInfo info;
  private final Consumer<Leadership> listener;
  private volatile String myNode;
  private volatile boolean closed;

  MasterContender(CuratorFramework zk, String path, MasterInfo info, Consumer<Leadership> listener) {
    this.zk = zk;
    this.path = path;
    this.info = info;
    this.listener = listener;
  }

  void start() throws Exception {
    String created = zk.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
        .forPath(path + "/json.info_", ContentType.JSON.encode(info));
    myNode = created.substring(created.lastIndexOf('/') + 1);
    evaluate();
  }

  private void evaluate() throws Exception {
    if (closed) {
      return;
    }
    CuratorWatcher again = (WatchedEvent event) -> {
      try {
        evaluate();
      } catch (Exception e) {
        LOG.warn("cannot read the masters under {}: {}", path, e.toString());
        listener.accept(Leadership.NONE);
      }
    };
    List<String> children = zk.getChildren().usingWatcher(again).forPath(path);
    Optional<String> lowest = children.stream().filter(MasterContender::hasSequence)
        .min((a, b) -> Long.compare(sequence(a), sequence(b)));
    if (lowest.isEmpty()) {
      listener.accept(Leadership.NONE);
    } else if (lowest.get().equals(myNode)) {
      listener.accept(Leadership.LEADING);
    } else {
      listener.accept(addressOf(lowest.get()).map(Leadership::following).orElse(Leadership.NONE));
    }
  }

  private Optional<String> addressOf(String node) throws Exception {
    byte[] data = zk.getData().forPath(path + "/" + node);
    String label = node.lastIndexOf('_') < 0 ? "" : node.substring(0, node.lastIndexOf('_'));
    try {
      if (label.equals("json.info") || label.equals("info")) {
        MasterInfo leader = label.equals("json.info")
            ? ContentType.JSON.decode(data, MasterInfo.newBuilder()) : MasterInfo.parseFrom(data);
        String host = leader.hasAddress() && leader.getAddress().hasIp() ? leader.getAddress().getIp() : leader.getHostname();
        int port = leader.hasAddress() ? leader.getAddress().getPort() : leader.getPort();
        return Optional.of(host + ":" + port);
      }
    } catch (InvalidProtocolBufferException e) {
      LOG.warn("unreadable MasterInfo in {}/{}: {}", path, node, e.getMessage());
      return Optional.empty();
    }
    String pid = new String(data, StandardCharsets.UTF_8).trim();
    return Optional.of(pid.substring(pid.indexOf('@') + 1));
  }

  /** Whether the last {@code _}-separated part of the name is a number (a bare node is only the number). */
  static boolean hasSequence(String name) {
    String last = name.substring(name.lastIndexOf('_') + 1);
    return !last.isEmpty() && last.chars().allMatch(Character::isDigit);
  }

  static long sequence(String name) {
    return Long.parseLong(name.substring(name.lastIndexOf('_') + 1));
  }

  /** Leaves the election (the node is deleted), as a master that stops. */
  @Override
  public void close() {
    closed = true;
    if (myNode != null) {
      try {
        zk.delete().guaranteed().forPath(path + "/" + myNode);
      } catch (Exception e) {
        LOG.debug("could not delete {}/{}: {}", path, myNode, e.toString());
      }
    }
  }
}
