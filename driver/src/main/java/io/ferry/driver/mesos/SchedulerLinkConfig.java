package io.ferry.driver.mesos;

import io.ferry.driver.FerryConf;
import io.ferry.driver.MasterUrl;
import io.ferry.mesos.ContentType;
import io.ferry.mesos.http.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * Everything a {@link SchedulerLink} needs, validated at once (every bad value reported together,
 * each naming its parameter). Usually made from the driver's configuration:
 *
 * <pre>{@code
 * SchedulerLinkConfig config = SchedulerLinkConfig.builder(ferryConf)
 *     .knownTasks(taskTable::liveStatuses)    // reconciled explicitly after every SUBSCRIBED
 *     .build();
 * }</pre>
 *
 * @param master a {@link MasterUrl.Mesos} or {@link MasterUrl.ZooKeeper} URL
 * @param frameworkName FrameworkInfo.name
 * @param user FrameworkInfo.user: who tasks run as
 * @param principal FrameworkInfo.principal, and the HTTP Basic principal when a secret is set
 * @param secret the framework's secret for HTTP Basic; printed as {@code [REDACTED]}, never logged
 * @param roles FrameworkInfo.roles (with the MULTI_ROLE capability); empty: role {@code *}
 * @param failoverTimeout FrameworkInfo.failover_timeout: how long Mesos keeps the framework while
 *     the link is disconnected
 * @param checkpoint FrameworkInfo.checkpoint
 * @param hostname FrameworkInfo.hostname (the driver's advertised host), if any
 * @param frameworkId an earlier framework's ID to fail over to, if any
 * @param registrationTimeout how long the first subscription may take (unreachable master, no
 *     leader in ZooKeeper) before the link stops with an error
 * @param initialBackoff the first wait before resubscribing; doubles per failed attempt
 * @param maxBackoff the longest wait before resubscribing (Mesos recommends at most 15 s)
 * @param missedHeartbeats how many heartbeat intervals of silence mean a dead stream (Mesos: 5)
 * @param retryPolicy how 503 answers (no leader, recovering master) to calls are retried
 * @param contentType the encoding of calls and events
 * @param connectTimeout the TCP connect timeout
 * @param requestTimeout how long a call may wait for its answer
 * @param knownTasks the tasks the driver believes live (task and agent IDs), asked on the link's
 *     thread after every SUBSCRIBED for an explicit RECONCILE (an implicit one follows)
 * @param gpuResources FrameworkInfo capability {@code GPU_RESOURCES}: Mesos offers agents that have
 *     GPUs only to frameworks with it ({@code ferry.mesos.gpus.max} above 0)
 */
public record SchedulerLinkConfig(
    MasterUrl master,
    String frameworkName,
    String user,
    Optional<String> principal,
    Optional<String> secret,
    List<String> roles,
    Duration failoverTimeout,
    boolean checkpoint,
    Optional<String> hostname,
    Optional<FrameworkID> frameworkId,
    Duration registrationTimeout,
    Duration initialBackoff,
    Duration maxBackoff,
    int missedHeartbeats,
    RetryPolicy retryPolicy,
    ContentType contentType,
    Duration connectTimeout,
    Duration requestTimeout,
    Supplier<List<TaskStatus>> knownTasks,
    boolean gpuResources) {

  public SchedulerLinkConfig {
    List<String> errors = new ArrayList<>();
    if (!(master instanceof MasterUrl.Mesos) && !(master instanceof MasterUrl.ZooKeeper)) {
      errors.add("master: " + master + " (expected: mesos://host:port or mesos://zk://host:2181/path;"
          + " local-cluster is started first, then reached as mesos://)");
    }
    if (frameworkName == null || frameworkName.isBlank()) {
      errors.add("frameworkName: empty (expected: a name, e.g. ferry.app.name)");
    }
    if (user == null || user.isBlank()) {
      errors.add("user: empty (expected: the user tasks run as)");
    }
    principal = principal == null ? Optional.empty() : principal;
    secret = secret == null ? Optional.empty() : secret;
    hostname = hostname == null ? Optional.empty() : hostname;
    frameworkId = frameworkId == null ? Optional.empty() : frameworkId;
    if (secret.isPresent() && principal.isEmpty()) {
      errors.add("principal: empty (expected: the principal the secret belongs to)");
    }
    if (principal.isPresent() && (principal.get().isEmpty() || principal.get().contains(":"))) {
      errors.add("principal: '" + principal.get() + "' (expected: non-empty, without ':')");
    }
    roles = roles == null ? List.of() : List.copyOf(roles);
    notNegative(errors, "failoverTimeout", failoverTimeout);
    positive(errors, "registrationTimeout", registrationTimeout);
    positive(errors, "initialBackoff", initialBackoff);
    positive(errors, "maxBackoff", maxBackoff);
    if (initialBackoff != null && maxBackoff != null && maxBackoff.compareTo(initialBackoff) < 0) {
      errors.add("maxBackoff: " + maxBackoff + " (expected: >= initialBackoff " + initialBackoff + ")");
    }
    if (missedHeartbeats < 1) {
      errors.add("missedHeartbeats: " + missedHeartbeats + " (expected: >= 1)");
    }
    if (retryPolicy == null) {
      errors.add("retryPolicy: null (expected: e.g. RetryPolicy.defaults())");
    }
    if (contentType == null) {
      errors.add("contentType: null (expected: PROTOBUF or JSON)");
    }
    positive(errors, "connectTimeout", connectTimeout);
    positive(errors, "requestTimeout", requestTimeout);
    if (knownTasks == null) {
      errors.add("knownTasks: null (expected: a supplier, e.g. List::of)");
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid SchedulerLinkConfig: " + String.join("; ", errors));
    }
  }

  private static void positive(List<String> errors, String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      errors.add(name + ": " + value + " (expected: > 0)");
    }
  }

  private static void notNegative(List<String> errors, String name, Duration value) {
    if (value == null || value.isNegative()) {
      errors.add(name + ": " + value + " (expected: >= 0)");
    }
  }

  /** Defaults for everything but the master: name ferry-app, the current user, 10 min failover, 30 s registration. */
  public static Builder builder(MasterUrl master) {
    return new Builder(master);
  }

  /** The settings of a driver's configuration ({@code ferry.app.name}, {@code ferry.mesos.*}, {@code ferry.driver.host}). */
  public static Builder builder(FerryConf conf) {
    Builder b = new Builder(conf.master()).frameworkName(conf.appName()).user(conf.mesosUser())
        .roles(conf.mesosRoles()).failoverTimeout(conf.mesosFailoverTimeout()).checkpoint(conf.mesosCheckpoint())
        .hostname(Optional.of(conf.driverHost())).registrationTimeout(conf.mesosRegistrationTimeout())
        .gpuResources(conf.mesosLaunch().usesGpus());
    conf.mesosPrincipal().ifPresent(b::principal);
    conf.mesosSecret().ifPresent(b::secret);
    return b;
  }

  public Builder toBuilder() {
    Builder b = new Builder(master);
    b.frameworkName = frameworkName;
    b.user = user;
    b.principal = principal;
    b.secret = secret;
    b.roles = roles;
    b.failoverTimeout = failoverTimeout;
    b.checkpoint = checkpoint;
    b.hostname = hostname;
    b.frameworkId = frameworkId;
    b.registrationTimeout = registrationTimeout;
    b.initialBackoff = initialBackoff;
    b.maxBackoff = maxBackoff;
    b.missedHeartbeats = missedHeartbeats;
    b.retryPolicy = retryPolicy;
    b.contentType = contentType;
    b.connectTimeout = connectTimeout;
    b.requestTimeout = requestTimeout;
    b.knownTasks = knownTasks;
    b.gpuResources = gpuResources;
    return b;
  }

  @Override
  public String toString() {
    return "SchedulerLinkConfig[master=" + master + ", frameworkName=" + frameworkName + ", user=" + user
        + ", principal=" + principal.orElse("(none)") + ", secret=" + (secret.isPresent() ? "[REDACTED]" : "(none)")
        + ", roles=" + roles + ", failoverTimeout=" + failoverTimeout + ", checkpoint=" + checkpoint
        + ", hostname=" + hostname.orElse("(none)") + ", frameworkId=" + frameworkId.map(FrameworkID::getValue).orElse("(new)")
        + ", registrationTimeout=" + registrationTimeout + ", backoff=" + initialBackoff + ".." + maxBackoff
        + ", missedHeartbeats=" + missedHeartbeats + ", retryPolicy=" + retryPolicy + ", contentType=" + contentType
        + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + ", gpuResources=" + gpuResources + "]";
  }

  /** Collects settings; {@link #build()} validates them together. */
  public static final class Builder {
    private MasterUrl master;
    private String frameworkName = "ferry-app";
    private String user = System.getProperty("user.name", "root");
    private Optional<String> principal = Optional.empty();
    private Optional<String> secret = Optional.empty();
    private List<String> roles = List.of();
    private Duration failoverTimeout = Duration.ofMinutes(10);
    private boolean checkpoint = true;
    private Optional<String> hostname = Optional.empty();
    private Optional<FrameworkID> frameworkId = Optional.empty();
    private Duration registrationTimeout = Duration.ofSeconds(30);
    private Duration initialBackoff = Duration.ofMillis(200);
    private Duration maxBackoff = Duration.ofSeconds(15);
    private int missedHeartbeats = 5;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private ContentType contentType = ContentType.PROTOBUF;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Supplier<List<TaskStatus>> knownTasks = List::of;
    private boolean gpuResources;

    private Builder(MasterUrl master) {
      this.master = master;
    }

    /** E.g. the {@code mesos://} address of a local-cluster the driver started. */
    public Builder master(MasterUrl v) { master = v; return this; }
    public Builder frameworkName(String v) { frameworkName = v; return this; }
    public Builder user(String v) { user = v; return this; }
    public Builder principal(String v) { principal = Optional.ofNullable(v); return this; }
    public Builder secret(String v) { secret = Optional.ofNullable(v); return this; }
    public Builder roles(List<String> v) { roles = v; return this; }
    public Builder failoverTimeout(Duration v) { failoverTimeout = v; return this; }
    public Builder checkpoint(boolean v) { checkpoint = v; return this; }
    public Builder hostname(Optional<String> v) { hostname = v; return this; }
    public Builder frameworkId(Optional<FrameworkID> v) { frameworkId = v; return this; }
    public Builder registrationTimeout(Duration v) { registrationTimeout = v; return this; }
    public Builder initialBackoff(Duration v) { initialBackoff = v; return this; }
    public Builder maxBackoff(Duration v) { maxBackoff = v; return this; }
    public Builder missedHeartbeats(int v) { missedHeartbeats = v; return this; }
    public Builder retryPolicy(RetryPolicy v) { retryPolicy = v; return this; }
    public Builder contentType(ContentType v) { contentType = v; return this; }
    public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
    public Builder requestTimeout(Duration v) { requestTimeout = v; return this; }
    public Builder knownTasks(Supplier<List<TaskStatus>> v) { knownTasks = v; return this; }
    public Builder gpuResources(boolean v) { gpuResources = v; return this; }

    public SchedulerLinkConfig build() {
      return new SchedulerLinkConfig(master, frameworkName, user, principal, secret, roles, failoverTimeout, checkpoint,
          hostname, frameworkId, registrationTimeout, initialBackoff, maxBackoff, missedHeartbeats, retryPolicy,
          contentType, connectTimeout, requestTimeout, knownTasks, gpuResources);
    }
  }
}
