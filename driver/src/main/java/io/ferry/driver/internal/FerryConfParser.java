package io.ferry.driver.internal;

import io.ferry.driver.DynamicAllocation;
import io.ferry.driver.FerryConf;
import io.ferry.driver.FerryConfException;
import io.ferry.driver.MasterUrl;
import io.ferry.driver.MesosLaunchSettings;
import io.ferry.driver.ProgressMode;
import io.ferry.driver.mesos.OfferConstraints;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/** Builds a {@link FerryConf} from its layers: the one place where keys are read and checked. */
public final class FerryConfParser {

  private FerryConfParser() {}

  public static FerryConf parse(Map<String, String> explicit, Map<String, String> systemProperties,
      Map<String, String> environment) {
    List<String> errors = new ArrayList<>();
    ConfLayers layers = ConfLayers.merge(explicit, systemProperties, environment, errors);
    ConfReader r = new ConfReader(layers, errors);
    checkKeys(layers, r);

    MasterUrl master = master(r);
    Optional<String> executorUri = r.string("ferry.executor.uri");
    Optional<String> dockerImage = dockerImage(r);
    boolean forcePull = r.bool("ferry.mesos.executor.docker.forcePullImage", false);
    if (forcePull && dockerImage.isEmpty()) {
      r.error("ferry.mesos.executor.docker.forcePullImage: true without ferry.mesos.executor.docker.image"
          + " (expected: set the image executors run in, or drop forcePullImage)");
    }
    MesosLaunchSettings launch = MesosLaunchParser.parse(r, dockerImage);
    if (executorUri.isEmpty() && dockerImage.isEmpty() && launch.executorHome().isEmpty() && master != null
        && master.usesMesos()) {
      r.error("ferry.executor.uri: missing (expected: where agents fetch ferry-<version>-bin.tgz, e.g."
          + " hdfs://namenode:8020/ferry/ferry-0.1.0-bin.tgz; set ferry.executor.uri or env FERRY_EXECUTOR_URI,"
          + " or run executors in an image with ferry.mesos.executor.docker.image, or from a distribution installed"
          + " on every agent with ferry.mesos.executor.home)");
    }
    boolean coarse = r.bool("ferry.mesos.coarse", false);
    OptionalInt coresMax = r.optionalInteger("ferry.cores.max", 1, Integer.MAX_VALUE);
    int taskCpus = r.integer("ferry.task.cpus", 1, 1, Integer.MAX_VALUE);
    if (coarse && coresMax.isPresent() && coresMax.getAsInt() < taskCpus) {
      r.reject("ferry.cores.max", "expected: at least ferry.task.cpus " + taskCpus
          + " in coarse mode, or no slot can ever run a task");
    }
    LocalClusterDefaults.Executor executor = LocalClusterDefaults.executor(r, master, coarse, taskCpus);
    long memory = executor.memoryBytes();
    if (memory < 32L << 20) {
      r.reject("ferry.executor.memory", "expected: at least 32m");
    }
    long overhead = executor.overheadBytes();
    double executorCores = executor.cores();
    OptionalInt coarseExecutorCores = executor.coarseCores();
    if (coarseExecutorCores.isPresent() && coresMax.isPresent() && coresMax.getAsInt() < coarseExecutorCores.getAsInt()) {
      r.reject("ferry.cores.max", "expected: at least ferry.executor.cores " + coarseExecutorCores.getAsInt()
          + " in coarse mode, or no executor can ever start");
    }
    DynamicAllocation dynamicAllocation = dynamicAllocation(r, coarse);
    int inFlightPerSlot = r.integer("ferry.mesos.coarse.tasksInFlightPerSlot", 64, 1, 1024);
    int maxFailures = r.integer("ferry.task.maxFailures", 4, 1, Integer.MAX_VALUE);
    int perAgent = r.integer("ferry.excludeOnFailure.maxFailuresPerAgent", 2, 1, Integer.MAX_VALUE);
    Duration excludeTimeout = r.duration("ferry.excludeOnFailure.timeout", "1h");

    // An embedded cluster runs on this machine: its executors reach the driver over loopback, and
    // nothing else should.
    boolean embedded = master instanceof MasterUrl.LocalCluster || master instanceof MasterUrl.Local;
    String driverHost = r.string("ferry.driver.host").orElseGet(() -> embedded ? "127.0.0.1" : localAddress());
    String bindAddress = r.string("ferry.driver.bindAddress", embedded ? "127.0.0.1" : "0.0.0.0");
    int driverPort = r.integer("ferry.driver.port", 0, 0, 65535);
    int advertisedPort = r.integer("ferry.driver.advertisedPort", 0, 0, 65535);
    boolean tls = r.bool("ferry.rpc.tls", false);
    Duration heartbeat = r.positiveDuration("ferry.rpc.heartbeatInterval", "2s");
    Duration heartbeatTimeout = r.positiveDuration("ferry.rpc.heartbeatTimeout", "10s");
    if (heartbeatTimeout.compareTo(heartbeat) <= 0) {
      r.reject("ferry.rpc.heartbeatTimeout", "expected: longer than ferry.rpc.heartbeatInterval " + heartbeat);
    }
    long frameSize = r.size("ferry.rpc.maxFrameSize", "128m", ConfValues.SizeUnit.BYTES);
    // The driver port streams jars in 1 MiB chunks: a frame must hold one with its envelope
    // (the rpc module refuses less at start-up, after the configuration looked valid).
    if (frameSize < 2L << 20 || frameSize > Integer.MAX_VALUE) {
      r.reject("ferry.rpc.maxFrameSize", "expected: from 2m to 2047m");
      frameSize = 128L << 20;
    }
    Duration handshakeTimeout = r.positiveDuration("ferry.rpc.handshakeTimeout", "10s");
    int maxPendingHandshakes = r.integer("ferry.rpc.maxPendingHandshakes", 256, 1, 65535);

    Optional<String> principal = r.string("ferry.mesos.principal");
    if (principal.isPresent() && principal.get().contains(":")) {
      r.reject("ferry.mesos.principal", "expected: a principal without ':'");
    }
    Optional<Path> secretFile = r.string("ferry.mesos.secretFile").map(Path::of);
    Optional<String> secret = secret(r, secretFile, environment);
    if (secret.isPresent() && principal.isEmpty()) {
      r.error("ferry.mesos.principal: missing (a framework secret was given in "
          + (secretFile.isPresent() ? "ferry.mesos.secretFile" : "env " + FerryConf.SECRET_VARIABLE)
          + "; set the principal it belongs to)");
    }
    List<String> roles = r.list("ferry.mesos.role");
    String user = r.string("ferry.mesos.user", System.getProperty("user.name", "root"));
    Duration failover = r.duration("ferry.mesos.failoverTimeout", "10min");
    boolean checkpoint = r.bool("ferry.mesos.checkpoint", true);
    boolean fetcherCache = r.bool("ferry.mesos.fetcherCache", false);
    OfferConstraints constraints = r.parse("ferry.mesos.constraints", "", OfferConstraints::parse);
    Duration reject = r.duration("ferry.mesos.rejectOfferDuration", "120s");
    Duration registration = r.positiveDuration("ferry.mesos.registrationTimeout", "30s");
    Path localDir = Path.of(r.string("ferry.local.dir",
        Path.of(System.getProperty("java.io.tmpdir"), "ferry-" + user).toString()));
    ProgressMode progress = r.parse("ferry.ui.progress", "auto", ProgressMode::parse);

    if (!errors.isEmpty()) {
      throw new FerryConfException(errors);
    }
    Map<String, String> settings = new TreeMap<>();
    layers.settings().forEach((k, v) -> settings.put(k, v.value()));
    FerryConf conf = new FerryConf(master, r.string("ferry.app.name", "ferry-app"), executorUri,
        coarse, coresMax, memory, overhead, executorCores, coarseExecutorCores, dynamicAllocation, taskCpus, inFlightPerSlot, maxFailures, perAgent,
        excludeTimeout, driverHost, bindAddress, driverPort, advertisedPort, tls, heartbeat, heartbeatTimeout, (int) frameSize,
        handshakeTimeout, maxPendingHandshakes,
        r.list("ferry.jars"), principal, secretFile, secret, roles, user, failover, checkpoint, fetcherCache,
        r.list("ferry.mesos.uris"), dockerImage, forcePull, constraints, reject, registration, localDir, progress,
        launch, settings);
    LocalClusterDefaults.checkFits(conf, r);
    if (!errors.isEmpty()) {
      throw new FerryConfException(errors);
    }
    return conf;
  }

  /** {@code ferry.dynamicAllocation.*}: elastic coarse mode (on by default there; fine mode ignores it). */
  private static DynamicAllocation dynamicAllocation(ConfReader r, boolean coarse) {
    boolean enabled = r.bool("ferry.dynamicAllocation.enabled", coarse);
    int min = r.integer("ferry.dynamicAllocation.minExecutors", 0, 0, Integer.MAX_VALUE);
    OptionalInt max = r.optionalInteger("ferry.dynamicAllocation.maxExecutors", 1, Integer.MAX_VALUE);
    if (max.isPresent() && max.getAsInt() < min) {
      r.reject("ferry.dynamicAllocation.maxExecutors", "expected: at least ferry.dynamicAllocation.minExecutors " + min);
    }
    Duration idle = r.positiveDuration("ferry.dynamicAllocation.executorIdleTimeout", "60s");
    Duration backlog = r.positiveDuration("ferry.dynamicAllocation.schedulerBacklogTimeout", "1s");
    Optional<Duration> lifetime = r.string("ferry.dynamicAllocation.executorMaxLifetime").isPresent()
        ? Optional.of(r.positiveDuration("ferry.dynamicAllocation.executorMaxLifetime", "1h"))
        : Optional.empty();
    return new DynamicAllocation(enabled, min, max, idle, backlog, lifetime);
  }

  /** Unknown or forbidden {@code ferry.*} keys, each with a did-you-mean when one is close. */
  private static void checkKeys(ConfLayers layers, ConfReader r) {
    for (Map.Entry<String, ConfLayers.Setting> e : new TreeMap<>(layers.settings()).entrySet()) {
      String key = e.getKey();
      if (ConfKeys.DEFAULTS.containsKey(key)) {
        continue;
      }
      String where = " (from " + e.getValue().origin() + ")";
      if (ConfKeys.FORBIDDEN.containsKey(key)) {
        r.error(key + ": not accepted" + where + ": " + ConfKeys.FORBIDDEN.get(key));
      } else if (key.startsWith("ferry.")) {
        r.error(key + ": unknown key" + where + EditDistance.closest(key, ConfKeys.DEFAULTS.keySet())
            .map(k -> "; did you mean " + k + "?").orElse("; see conf/ferry-defaults.conf.template for every key"));
      } else {
        r.error(key + ": not a Ferry key" + where + " (expected: ferry.*)"
            + ForeignKeys.ferryKeyFor(key).map(k -> "; did you mean " + k + "?").orElse(""));
      }
    }
  }

  /** A Docker image reference: registry, path, tag and digest characters only; no spaces or controls. */
  private static final java.util.regex.Pattern IMAGE_REFERENCE =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@+-]{0,254}");

  private static Optional<String> dockerImage(ConfReader r) {
    Optional<String> image = r.string("ferry.mesos.executor.docker.image").map(String::strip);
    if (image.isPresent() && !IMAGE_REFERENCE.matcher(image.get()).matches()) {
      r.reject("ferry.mesos.executor.docker.image", "expected: a Docker image reference such as ferry:0.1.0 or"
          + " registry.example.com:5000/ferry:0.1.0, as docker/README.md builds it");
      return Optional.empty();
    }
    return image;
  }

  private static MasterUrl master(ConfReader r) {
    Optional<String> text = r.string("ferry.master");
    if (text.isEmpty()) {
      r.error("ferry.master: missing (expected: " + MasterUrl.ACCEPTED_FORMS
          + "; set --master, -Dferry.master, ferry.master in conf/ferry-defaults.conf, or env FERRY_MASTER)");
      return null;
    }
    try {
      return MasterUrl.parse(text.get());
    } catch (IllegalArgumentException e) {
      String origin = r.layers().get("ferry.master").map(ConfLayers.Setting::origin).orElse("?");
      r.error(e.getMessage() + " (from " + origin + ")");
      return null;
    }
  }

  private static Optional<String> secret(ConfReader r, Optional<Path> file, Map<String, String> environment) {
    if (file.isPresent()) {
      try {
        String secret = Files.readString(file.get(), StandardCharsets.UTF_8).strip();
        if (secret.isEmpty()) {
          r.reject("ferry.mesos.secretFile", "the file is empty; expected: the framework's secret");
          return Optional.empty();
        }
        return Optional.of(secret);
      } catch (IOException e) {
        r.reject("ferry.mesos.secretFile", "cannot be read: " + e + "; check the path and its permissions");
        return Optional.empty();
      }
    }
    String fromEnv = environment.get(FerryConf.SECRET_VARIABLE);
    return fromEnv == null || fromEnv.isEmpty() ? Optional.empty() : Optional.of(fromEnv.strip());
  }

  private static String localAddress() {
    try {
      return InetAddress.getLocalHost().getHostAddress();
    } catch (UnknownHostException e) {
      return "127.0.0.1";
    }
  }
}
