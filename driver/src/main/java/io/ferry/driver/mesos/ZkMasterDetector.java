package io.ferry.driver.mesos;

import io.ferry.driver.MasterUrl;
import io.ferry.driver.mesos.internal.MasterNodes;
import io.ferry.driver.mesos.internal.NamedThreads;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the leading Mesos master in ZooKeeper, as Mesos's own detector does: the lowest-sequence
 * child of the masters' path ({@code json.info_<seq>}, also {@code info_<seq>} and unlabelled
 * {@code master@ip:port} nodes; other names such as {@code log_replicas} are ignored). It watches
 * the children and tells its listener each time the leader changes, or that there is none.
 *
 * <pre>{@code
 * try (ZkMasterDetector detector = ZkMasterDetector.create((MasterUrl.ZooKeeper) MasterUrl.parse(url))) {
 *   detector.start(leader -> System.out.println(leader.map(Leader::address).orElse("no leader")));
 * }
 * }</pre>
 *
 * <p>Threads: Curator's own, plus {@code ferry-zk-detector-N}, which reads ZooKeeper and calls the
 * listener, one call at a time. ZooKeeper outages are ridden out: the last known leader stands
 * until ZooKeeper says otherwise.
 */
public final class ZkMasterDetector implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ZkMasterDetector.class);

  /** The leading master: where its HTTP API is, and its MasterInfo when its node had one. */
  public record Leader(String host, int port, Optional<MasterInfo> info) {
    /** {@code host:port}. */
    public String address() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** {@code http://host:port}. */
    public String httpEndpoint() {
      return "http://" + address();
    }
  }

  /** Hears about leader changes on the detector's thread. */
  @FunctionalInterface
  public interface Listener {
    /** The leader is now {@code leader}, or there is none (the path is empty or missing). */
    void leaderChanged(Optional<Leader> leader);
  }

  private final MasterUrl.ZooKeeper url;
  private final CuratorFramework zk;
  private final ExecutorService thread;
  private final AtomicReference<Optional<Leader>> leader = new AtomicReference<>(Optional.empty());
  private volatile Listener listener;
  private volatile boolean closed;
  private volatile boolean everConnected;

  private ZkMasterDetector(MasterUrl.ZooKeeper url, CuratorFramework zk, ExecutorService thread) {
    this.url = url;
    this.zk = zk;
    this.thread = thread;
  }

  public static ZkMasterDetector create(MasterUrl.ZooKeeper url) {
    CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder().connectString(url.connectString())
        .sessionTimeoutMs(30_000).connectionTimeoutMs(10_000)
        .retryPolicy(new ExponentialBackoffRetry(200, 10, 5_000));
    url.credentials().ifPresent(c -> builder.authorization("digest", c.getBytes(StandardCharsets.UTF_8)));
    return new ZkMasterDetector(url, builder.build(),
        Executors.newSingleThreadExecutor(NamedThreads.factory("ferry-zk-detector")));
  }

  /** Connects and starts watching; the listener hears the first leader as soon as it is known. */
  public synchronized void start(Listener listener) {
    if (this.listener != null || closed) {
      throw new IllegalStateException("ZkMasterDetector for " + url + " was already started" + (closed ? " and closed" : ""));
    }
    this.listener = Objects.requireNonNull(listener, "listener");
    zk.getConnectionStateListenable().addListener((client, state) -> {
      if (state == ConnectionState.CONNECTED || state == ConnectionState.RECONNECTED) {
        everConnected = true;
        evaluateSoon(); // a first read may have failed before the connection, or a new session lost the watches
      } else if ((state == ConnectionState.LOST || state == ConnectionState.SUSPENDED) && everConnected) {
        log.warn("[zk={}] connection to ZooKeeper {}; keeping the last known leader {}", url, state,
            leader.get().map(Leader::address).orElse("(none)"));
      }
    });
    zk.start();
    evaluateSoon();
  }

  /** Whether ZooKeeper has answered at least once (a connection was made). */
  public boolean everConnected() {
    return everConnected;
  }

  /** The leader as last seen. */
  public Optional<Leader> leader() {
    return leader.get();
  }

  private void evaluateSoon() {
    if (!closed) {
      try {
        thread.execute(this::evaluate);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closed meanwhile
      }
    }
  }

  /** Runs on the detector's thread: read the children (re-arming the watch) and report a change. */
  private void evaluate() {
    if (closed) {
      return;
    }
    CuratorWatcher again = event -> evaluateSoon();
    Optional<Leader> now;
    try {
      if (zk.checkExists().usingWatcher(again).forPath(url.path()) == null) {
        now = Optional.empty(); // the watch fires when a master creates the path
      } else {
        List<String> children = zk.getChildren().usingWatcher(again).forPath(url.path());
        Optional<String> node = MasterNodes.leaderNode(children);
        now = node.isEmpty() ? Optional.empty() : Optional.of(read(node.get()));
      }
    } catch (KeeperException.NoNodeException e) {
      evaluateSoon(); // the path or the leader's node vanished while we read it
      return;
    } catch (IllegalArgumentException e) {
      log.warn("[zk={}] {}; waiting for the next change", url, e.getMessage());
      return;
    } catch (Exception e) {
      if (!closed && everConnected) {
        log.warn("[zk={}] cannot read the masters: {}; retrying when ZooKeeper reconnects", url, e.toString());
      } else if (!closed) {
        // Never connected: the driver's link says once what it waits for, and its timeout ends the wait.
        log.debug("[zk={}] cannot read the masters: {}; retrying when ZooKeeper connects", url, e.toString());
      }
      return;
    }
    Optional<Leader> before = leader.getAndSet(now);
    if (!sameAddress(before, now) && !closed) {
      log.info("[zk={}] leading master: {}", url, now.map(Leader::address).orElse("none"));
      try {
        listener.leaderChanged(now);
      } catch (RuntimeException e) {
        log.warn("[zk={}] leader listener failed", url, e);
      }
    }
  }

  private Leader read(String node) throws Exception {
    return MasterNodes.parse(node, zk.getData().forPath(url.path() + "/" + node));
  }

  private static boolean sameAddress(Optional<Leader> a, Optional<Leader> b) {
    return a.map(Leader::address).equals(b.map(Leader::address));
  }

  /** Stops watching and closes the ZooKeeper session; the listener hears nothing more. */
  @Override
  public void close() {
    closed = true;
    thread.shutdownNow();
    zk.close();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "ZkMasterDetector[" + url + ", leader=" + leader.get().map(Leader::address).orElse("none") + "]";
  }
}
