package io.ferry.driver;

import io.ferry.driver.internal.ConfKeys;
import io.ferry.driver.internal.FerryConfParser;
import io.ferry.driver.mesos.OfferConstraints;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The driver's configuration: one immutable, validated record, parsed in one place from these
 * layers (highest precedence first):
 *
 * <ol>
 *   <li>explicit settings (the API, {@code ferry-submit --conf k=v} and its flags);
 *   <li>Java system properties {@code -Dferry.*};
 *   <li>{@code ferry-defaults.conf} in {@code $FERRY_CONF_DIR}, else {@code $FERRY_HOME/conf}
 *       (Spark's format: {@code key value} or {@code key=value} per line, {@code #} comments; a
 *       missing file is fine);
 *   <li>environment variables: {@code FERRY_MASTER}, {@code FERRY_EXECUTOR_URI}, and
 *       {@code FERRY_MESOS_SECRET} (the secret only ever comes from there or from
 *       {@code ferry.mesos.secretFile});
 *   <li>built-in defaults ({@link #knownKeys()}).
 * </ol>
 *
 * <p>Every problem is reported at once in a {@link FerryConfException}, each naming the key, the
 * bad value and where it came from; an unknown {@code ferry.*} key is an error with a
 * did-you-mean. {@link #toString()} prints the secret as {@code [REDACTED]}.
 *
 * <pre>{@code
 * FerryConf conf = FerryConf.load(Map.of("ferry.master", "mesos://zk://zk1:2181/mesos",
 *     "ferry.executor.uri", "hdfs://nn:8020/ferry/ferry-0.1.0-bin.tgz"));
 * long memMb = conf.executorMemoryMb() + conf.executorMemoryOverheadMb();
 * }</pre>
 *
 * @param master {@code ferry.master}
 * @param appName {@code ferry.app.name}: the framework's name in Mesos
 * @param executorUri {@code ferry.executor.uri}: where agents fetch the distribution archive
 * @param coarse {@code ferry.mesos.coarse}: one long-running Mesos task per agent
 * @param coresMax {@code ferry.cores.max}: the most cpus held at once (coarse mode); empty: all offered
 * @param executorMemoryBytes {@code ferry.executor.memory}
 * @param executorMemoryOverheadBytes {@code ferry.executor.memoryOverhead}: added to the executor's memory for Mesos
 * @param executorCores {@code ferry.executor.cores}: cpus of the executor itself in fine-grained mode
 * @param coarseExecutorCores {@code ferry.executor.cores} in coarse-grained mode: the whole cores of each
 *     executor, so an agent offering more runs several (up to {@code ferry.cores.max} in all); empty
 *     (unset): one executor per agent holding every core the offer has, up to {@code ferry.cores.max}
 * @param dynamicAllocation {@code ferry.dynamicAllocation.*}: elastic coarse mode
 * @param taskCpus {@code ferry.task.cpus}: cpus per task
 * @param coarseTasksInFlightPerSlot {@code ferry.mesos.coarse.tasksInFlightPerSlot}: the most tasks
 *     coarse mode gives one slot at once (one running, the rest queued on the executor). Within it a
 *     slot is sent about 1 ms of work ahead, judged by the tasks' mean run time: short tasks keep
 *     flowing while results travel back, tasks longer than that go one at a time (so none waits
 *     behind a long one); 1 never sends ahead
 * @param taskMaxFailures {@code ferry.task.maxFailures}: attempts before a task's future fails
 * @param excludeMaxFailuresPerAgent {@code ferry.excludeOnFailure.maxFailuresPerAgent}
 * @param excludeTimeout {@code ferry.excludeOnFailure.timeout}: how long an agent stays excluded
 * @param driverHost {@code ferry.driver.host}: the address executors connect to
 * @param driverBindAddress {@code ferry.driver.bindAddress}
 * @param driverPort {@code ferry.driver.port}: 0 for an ephemeral port
 * @param driverAdvertisedPort {@code ferry.driver.advertisedPort}: the port executors are told to connect
 *     to, when something (a NAT, a proxy, a port mapping) forwards another port to the bound one; 0: the
 *     bound port
 * @param rpcTls {@code ferry.rpc.tls}
 * @param rpcHeartbeatInterval {@code ferry.rpc.heartbeatInterval}
 * @param rpcHeartbeatTimeout {@code ferry.rpc.heartbeatTimeout}
 * @param rpcMaxFrameSize {@code ferry.rpc.maxFrameSize}, in bytes
 * @param rpcHandshakeTimeout {@code ferry.rpc.handshakeTimeout}: a connection to the driver port that has
 *     not authenticated this long after it was accepted is closed
 * @param rpcMaxPendingHandshakes {@code ferry.rpc.maxPendingHandshakes}: the most connections in the
 *     handshake at once; more are closed when accepted (what strangers can make the driver hold)
 * @param jars {@code ferry.jars}: application jars served to executors
 * @param mesosPrincipal {@code ferry.mesos.principal}
 * @param mesosSecretFile {@code ferry.mesos.secretFile}
 * @param mesosSecret the secret read from the file or {@code FERRY_MESOS_SECRET}; never printed
 * @param mesosRoles {@code ferry.mesos.role}: a role, or a comma list (then MULTI_ROLE)
 * @param mesosUser {@code ferry.mesos.user}: the user tasks run as
 * @param mesosFailoverTimeout {@code ferry.mesos.failoverTimeout}: how long Mesos keeps the framework's
 *     tasks while the driver is disconnected. Not zero by default: with 0 a short master blip or
 *     network hiccup tears the framework down and kills every executor.
 * @param mesosCheckpoint {@code ferry.mesos.checkpoint}: agents checkpoint the framework's tasks
 * @param mesosFetcherCache {@code ferry.mesos.fetcherCache}: let agents cache the executor URI
 * @param mesosUris {@code ferry.mesos.uris}: more URIs every executor fetches
 * @param mesosExecutorDockerImage {@code ferry.mesos.executor.docker.image}: executors run in a container
 *     of this image (which holds the distribution under /opt/ferry; {@code docker/Dockerfile}), and
 *     {@code ferry.executor.uri} is not fetched
 * @param mesosExecutorDockerForcePullImage {@code ferry.mesos.executor.docker.forcePullImage}: agents pull
 *     the image again at every launch (Mesos's {@code Image.cached=false})
 * @param mesosConstraints {@code ferry.mesos.constraints}: agent attribute requirements
 * @param mesosRejectOfferDuration {@code ferry.mesos.rejectOfferDuration}: decline filter for unneeded offers
 * @param mesosRegistrationTimeout {@code ferry.mesos.registrationTimeout}: how long the first
 *     subscription may take (master unreachable, no leader elected) before the driver gives up
 * @param localDir {@code ferry.local.dir}: work directory of {@code local-cluster} mode
 * @param uiProgress {@code ferry.ui.progress}: how {@code ferry-submit} shows the tasks' progress
 * @param mesosLaunch {@code ferry.mesos.executor.home}, {@code ferry.mesos.task.labels},
 *     {@code ferry.mesos.network.name} and {@code .labels}, {@code ferry.mesos.gpus.max}: what else the
 *     driver sets in the Mesos messages that launch executors and tasks ({@link MesosLaunchSettings})
 * @param settings every setting as text, after merging the layers (defaults not included)
 */
public record FerryConf(
    MasterUrl master,
    String appName,
    Optional<String> executorUri,
    boolean coarse,
    OptionalInt coresMax,
    long executorMemoryBytes,
    long executorMemoryOverheadBytes,
    double executorCores,
    OptionalInt coarseExecutorCores,
    DynamicAllocation dynamicAllocation,
    int taskCpus,
    int coarseTasksInFlightPerSlot,
    int taskMaxFailures,
    int excludeMaxFailuresPerAgent,
    Duration excludeTimeout,
    String driverHost,
    String driverBindAddress,
    int driverPort,
    int driverAdvertisedPort,
    boolean rpcTls,
    Duration rpcHeartbeatInterval,
    Duration rpcHeartbeatTimeout,
    int rpcMaxFrameSize,
    Duration rpcHandshakeTimeout,
    int rpcMaxPendingHandshakes,
    List<String> jars,
    Optional<String> mesosPrincipal,
    Optional<Path> mesosSecretFile,
    Optional<String> mesosSecret,
    List<String> mesosRoles,
    String mesosUser,
    Duration mesosFailoverTimeout,
    boolean mesosCheckpoint,
    boolean mesosFetcherCache,
    List<String> mesosUris,
    Optional<String> mesosExecutorDockerImage,
    boolean mesosExecutorDockerForcePullImage,
    OfferConstraints mesosConstraints,
    Duration mesosRejectOfferDuration,
    Duration mesosRegistrationTimeout,
    Path localDir,
    ProgressMode uiProgress,
    MesosLaunchSettings mesosLaunch,
    Map<String, String> settings) {

  /** The variable the framework secret may come from (else {@code ferry.mesos.secretFile}). */
  public static final String SECRET_VARIABLE = "FERRY_MESOS_SECRET";

  public FerryConf {
    jars = List.copyOf(jars);
    mesosRoles = List.copyOf(mesosRoles);
    mesosUris = List.copyOf(mesosUris);
    settings = Map.copyOf(settings);
  }

  /** From {@code explicit}, this JVM's system properties and environment. */
  public static FerryConf load(Map<String, String> explicit) {
    Map<String, String> properties = new HashMap<>();
    System.getProperties().forEach((k, v) -> properties.put(String.valueOf(k), String.valueOf(v)));
    return load(explicit, properties, System.getenv());
  }

  /**
   * From the given layers; {@code environment} also says where {@code ferry-defaults.conf} is
   * ({@code FERRY_CONF_DIR}, {@code FERRY_HOME}).
   *
   * @throws FerryConfException listing every problem
   */
  public static FerryConf load(Map<String, String> explicit, Map<String, String> systemProperties,
      Map<String, String> environment) {
    return FerryConfParser.parse(explicit, systemProperties, environment);
  }

  /** Every {@code ferry.*} key, with its default as text. */
  public static Map<String, String> knownKeys() {
    return ConfKeys.DEFAULTS;
  }

  /** A setting as text, as merged from the layers (defaults not included). */
  public Optional<String> get(String key) {
    return Optional.ofNullable(settings.get(key));
  }

  public long executorMemoryMb() {
    return executorMemoryBytes >> 20;
  }

  public long executorMemoryOverheadMb() {
    return executorMemoryOverheadBytes >> 20;
  }

  /** Which keys were set explicitly or in a file or property (not defaulted). */
  public Set<String> setKeys() {
    return settings.keySet();
  }

  @Override
  public String toString() {
    return "FerryConf[master=" + master + ", appName=" + appName + ", executorUri=" + executorUri.orElse("(unset)")
        + ", coarse=" + coarse + ", coresMax=" + (coresMax.isPresent() ? coresMax.getAsInt() : "all")
        + ", executorMemory=" + executorMemoryMb() + "m, executorMemoryOverhead=" + executorMemoryOverheadMb()
        + "m, executorCores=" + executorCores + ", coarseExecutorCores="
        + (coarseExecutorCores.isPresent() ? coarseExecutorCores.getAsInt() : "all offered") + ", dynamicAllocation="
        + dynamicAllocation + ", taskCpus=" + taskCpus
        + ", coarseTasksInFlightPerSlot=" + coarseTasksInFlightPerSlot + ", taskMaxFailures=" + taskMaxFailures
        + ", excludeMaxFailuresPerAgent=" + excludeMaxFailuresPerAgent + ", excludeTimeout=" + excludeTimeout
        + ", driverHost=" + driverHost + ", driverBindAddress=" + driverBindAddress + ", driverPort=" + driverPort
        + ", driverAdvertisedPort=" + driverAdvertisedPort
        + ", rpcTls=" + rpcTls + ", rpcHeartbeatInterval=" + rpcHeartbeatInterval + ", rpcHeartbeatTimeout="
        + rpcHeartbeatTimeout + ", rpcMaxFrameSize=" + rpcMaxFrameSize + ", rpcHandshakeTimeout="
        + rpcHandshakeTimeout + ", rpcMaxPendingHandshakes=" + rpcMaxPendingHandshakes + ", jars=" + jars
        + ", mesosPrincipal=" + mesosPrincipal.orElse("(none)") + ", mesosSecretFile="
        + mesosSecretFile.map(Path::toString).orElse("(none)") + ", mesosSecret="
        + (mesosSecret.isPresent() ? "[REDACTED]" : "(none)") + ", mesosRoles=" + mesosRoles + ", mesosUser="
        + mesosUser + ", mesosFailoverTimeout=" + mesosFailoverTimeout + ", mesosCheckpoint=" + mesosCheckpoint
        + ", mesosFetcherCache=" + mesosFetcherCache + ", mesosUris=" + mesosUris + ", mesosExecutorDockerImage=" + mesosExecutorDockerImage.orElse("(none)")
        + ", mesosExecutorDockerForcePullImage=" + mesosExecutorDockerForcePullImage + ", mesosConstraints="
        + mesosConstraints + ", mesosRejectOfferDuration=" + mesosRejectOfferDuration
        + ", mesosRegistrationTimeout=" + mesosRegistrationTimeout + ", localDir=" + localDir + ", uiProgress=" + uiProgress + ", mesosLaunch=" + mesosLaunch + "]";
  }
}
