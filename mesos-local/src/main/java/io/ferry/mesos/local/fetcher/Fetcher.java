package io.ferry.mesos.local.fetcher;

import io.ferry.mesos.local.fetcher.internal.AgentReads;
import io.ferry.mesos.local.fetcher.internal.Downloaders;
import io.ferry.mesos.local.fetcher.internal.FetchBudget;
import io.ferry.mesos.local.fetcher.internal.FetchItem;
import io.ferry.mesos.local.fetcher.internal.FetchLog;
import io.ferry.mesos.local.fetcher.internal.FetchSession;
import io.ferry.mesos.local.fetcher.internal.LocalReads;
import io.ferry.mesos.local.fetcher.internal.NamedThreads;
import io.ferry.mesos.local.fetcher.internal.UriFetcher;
import io.ferry.mesos.local.fetcher.internal.UriValidator;
import io.ferry.mesos.local.fetcher.internal.UserReads;
import io.ferry.mesos.local.user.UserSwitch;
import io.ferry.packager.hadoop.HadoopConfLoader;
import io.ferry.packager.store.RetryPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's fetcher: puts a task's {@code CommandInfo.uris} into its sandbox before the
 * executor starts, exactly as Mesos's {@code mesos-fetcher} does, but in-process.
 *
 * <p>All URIs are validated first; then each is fetched in order: {@code file://} and plain paths
 * are copied (relative ones from {@code --frameworks_home}), {@code http(s)://} downloaded
 * (redirects followed, 200 only, stalls aborted), every other scheme read through the packager's
 * stores (HDFS, WebHDFS, S3; where Mesos runs {@code hadoop fs -copyToLocal}). The file lands at
 * {@code output_file} or the URI's last segment, query string included; {@code executable} makes
 * it 0755, otherwise archives are unpacked into the sandbox root and a bare {@code .gz} is
 * gunzipped. No archive entry can escape the sandbox. The first failure stops the fetch.
 *
 * <p>An agent passes {@link FetchOptions}: a {@link FetchLimit} on what the fetch may write into
 * the sandbox (downloads and what archives unpack to, counted before they are written), and, when
 * it switches users, the account that local files are read as (through a child process: this
 * fetcher runs in the agent's JVM, which cannot change its own user).
 *
 * <p>The fetch log goes to the given sink, which an agent points at the sandbox's {@code stderr};
 * on failure it ends with the {@link FetchException}'s message, which is also what goes into
 * {@code TASK_FAILED} with {@code REASON_CONTAINER_LAUNCH_FAILED}.
 *
 * <p>Thread-safe: one fetcher serves all containers of an agent. {@link #close()} stops its two
 * kinds of threads ({@code ferry-fetcher-http-N}, {@code ferry-fetcher-stall-watch-1}).
 *
 * <pre>{@code
 * try (Fetcher fetcher = Fetcher.builder()
 *     .frameworksHome(Path.of("/opt/frameworks"))
 *     .cache(cache)
 *     .build();
 *     Writer stderr = Files.newBufferedWriter(sandbox.resolve("stderr"), APPEND)) {
 *   fetcher.fetch(executorInfo.getCommand().getUrisList(), sandbox,
 *       new FetchOptions(Optional.of(user), FetchLimit.ofDiskResource(10240), Optional.empty()),
 *       stderr);
 * }
 * }</pre>
 */
public final class Fetcher implements AutoCloseable {

  /** Mesos's default {@code --fetcher_stall_timeout}. */
  public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(Fetcher.class);

  /** Settings for a fetcher; every one has Mesos's default. */
  public static final class Builder {
    private Optional<Path> frameworksHome = Optional.empty();
    private Optional<FetcherCache> cache = Optional.empty();
    private Duration stallTimeout = DEFAULT_STALL_TIMEOUT;
    private Configuration hadoopConf;
    private RetryPolicy retry = RetryPolicy.DEFAULT;

    private Builder() {}

    /** {@code --frameworks_home}: where relative URIs are found (default: unset, they fail). */
    public Builder frameworksHome(Path dir) {
      this.frameworksHome = Optional.of(Objects.requireNonNull(dir, "frameworksHome")
          .toAbsolutePath());
      return this;
    }

    /** The cache for URIs with {@code cache=true} (default: none, they are fetched directly). */
    public Builder cache(FetcherCache cache) {
      this.cache = Optional.of(Objects.requireNonNull(cache, "cache"));
      return this;
    }

    /**
     * {@code --fetcher_stall_timeout}: an HTTP download slower than 1 byte/s for this long is
     * aborted (default 1 minute). It also bounds connecting and waiting for the headers.
     */
    public Builder stallTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("stallTimeout: " + timeout + " (expected: > 0)");
      }
      this.stallTimeout = timeout;
      return this;
    }

    /**
     * The Hadoop configuration for {@code hdfs://}, {@code webhdfs://} and {@code s3*://} URIs,
     * including the {@code fs.s3a.*} keys (default: {@link HadoopConfLoader#load()}, from
     * {@code HADOOP_CONF_DIR} or {@code FERRY_HOME/conf}).
     */
    public Builder hadoopConf(Configuration conf) {
      this.hadoopConf = Objects.requireNonNull(conf, "hadoopConf");
      return this;
    }

    /** Retries for store reads (default {@link RetryPolicy#DEFAULT}). */
    public Builder retryPolicy(RetryPolicy retry) {
      this.retry = Objects.requireNonNull(retry, "retryPolicy");
      return this;
    }

    public Fetcher build() {
      return new Fetcher(this);
    }
  }

  private final Optional<FetcherCache> cache;
  private final ExecutorService httpThreads;
  private final ScheduledThreadPoolExecutor timer;
  private final UriFetcher uriFetcher;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Fetcher(Builder b) {
    this.cache = b.cache;
    this.httpThreads = Executors.newCachedThreadPool(new NamedThreads("ferry-fetcher-http"));
    this.timer = new ScheduledThreadPoolExecutor(1, new NamedThreads("ferry-fetcher-stall-watch"));
    timer.setRemoveOnCancelPolicy(true);
    Configuration conf = b.hadoopConf != null ? b.hadoopConf : HadoopConfLoader.load();
    Downloaders downloaders = new Downloaders(b.frameworksHome,
        Downloaders.httpClient(b.stallTimeout, httpThreads), timer, b.stallTimeout, conf, b.retry);
    this.uriFetcher = new UriFetcher(downloaders, b.cache.map(FetcherCache::table));
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Fetches {@code command}'s URIs as {@code command.user}, else {@code frameworkUser}, as the
   * agent's own user and with no limit (the user only keys the cache). Agents use
   * {@link #fetch(List, Path, FetchOptions, Appendable)}.
   */
  public void fetch(CommandInfo command, Path sandbox, Optional<String> frameworkUser,
      Appendable log) throws FetchException {
    Optional<String> user = command.hasUser() ? Optional.of(command.getUser()) : frameworkUser;
    fetch(command.getUrisList(), sandbox, FetchOptions.unlimited(user), log);
  }

  /** {@link #fetch(List, Path, FetchOptions, Appendable)} as the agent's user, with no limit. */
  public void fetch(List<CommandInfo.URI> uris, Path sandbox, Optional<String> user,
      Appendable log) throws FetchException {
    fetch(uris, sandbox, FetchOptions.unlimited(user), log);
  }

  /**
   * Fetches {@code uris} into {@code sandbox} in order, writing the fetch log to {@code log}.
   * Nothing is fetched, and nothing logged, for an empty list.
   *
   * @param options the user (part of the cache key), the limit on what may be written into the
   *     sandbox, and the account local files are read as
   * @throws FetchException on the first failure, the reason for {@code TASK_FAILED}
   */
  public void fetch(List<CommandInfo.URI> uris, Path sandbox, FetchOptions options,
      Appendable log) throws FetchException {
    if (closed.get()) {
      throw new IllegalStateException("fetcher is closed");
    }
    if (uris.isEmpty()) {
      return;
    }
    FetchLog fetchLog = new FetchLog(log);
    try {
      Path root = sandboxRoot(sandbox);
      List<FetchItem> items = new ArrayList<>();
      for (CommandInfo.URI uri : uris) {
        items.add(UriValidator.validate(uri));
      }
      FetchSession session = new FetchSession(new FetchBudget(options.limit()), reads(options));
      for (FetchItem item : items) {
        uriFetcher.fetch(item, root, options.user(), session, fetchLog);
      }
      fetchLog.info("Successfully fetched all URIs into '" + root + "'");
    } catch (FetchException e) {
      fetchLog.error(e.getMessage());
      LOG.debug("Fetch into {} failed: {}", sandbox, e.getMessage());
      throw e;
    }
  }

  private static LocalReads reads(FetchOptions options) throws FetchException {
    if (options.readAs().isEmpty()) {
      return AgentReads.INSTANCE;
    }
    try {
      return new UserReads(UserSwitch.locate(), options.readAs().get());
    } catch (IOException e) {
      throw new FetchException(null, e.getMessage());
    }
  }

  private static Path sandboxRoot(Path sandbox) throws FetchException {
    try {
      Path real = sandbox.toRealPath();
      if (Files.isDirectory(real)) {
        return real;
      }
    } catch (IOException e) {
      // Reported below.
    }
    throw new FetchException(null, "the sandbox '" + sandbox + "' is not a directory;"
        + " create it (SandboxLayout) before fetching");
  }

  /** The cache this fetcher uses, if any. */
  public Optional<FetcherCache> cache() {
    return cache;
  }

  /** Stops the fetcher's threads; fetches under way fail. Calling it again does nothing. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      timer.shutdownNow();
      httpThreads.shutdownNow();
    }
  }
}
