package io.ferry.mesos.local.fetcher;

import io.ferry.mesos.local.fetcher.internal.FetchCache;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The agent's fetcher cache ({@code --fetcher_cache_dir}, {@code --fetcher_cache_size}): URIs
 * with {@code cache=true} are downloaded once per user and then served from here.
 *
 * <p>It behaves as Mesos's: keyed by {@code user@uri}; files {@code c<serial>-<basename>} under
 * {@code <directory>/<user>}; the size must be known before downloading (file size, HTTP
 * {@code Content-Length} > 0, the store's size) and is reserved, evicting least recently used
 * entries; any cache problem means a direct download instead. There is <b>no refresh</b>: once
 * cached, a URI's old content is served even if the source changed, until the entry is evicted or
 * the agent restarts. An agent wipes the cache when it starts ({@link Builder#wipe}); Mesos uses
 * {@code <fetcher_cache_dir>/slaves/<agentId>} as the directory.
 *
 * <p>One cache may serve many {@link Fetcher}s and concurrent fetches.
 *
 * <pre>{@code
 * FetcherCache cache = FetcherCache.builder(workDir.resolve("fetch/slaves/" + agentId))
 *     .capacity(FetcherCache.DEFAULT_CAPACITY)
 *     .wipe(true)            // agent start
 *     .build();
 * }</pre>
 */
public final class FetcherCache {

  /** Mesos's default {@code --fetcher_cache_size}: 2 GB. */
  public static final long DEFAULT_CAPACITY = 2L * 1024 * 1024 * 1024;

  /** Settings for a cache. */
  public static final class Builder {
    private final Path directory;
    private long capacity = DEFAULT_CAPACITY;
    private boolean wipe;

    private Builder(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** The most bytes the cache holds (default 2 GB). */
    public Builder capacity(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("capacity: " + bytes + " (expected: > 0)");
      }
      this.capacity = bytes;
      return this;
    }

    /** Delete everything in the directory first, as an agent does at start (default false). */
    public Builder wipe(boolean wipe) {
      this.wipe = wipe;
      return this;
    }

    /** Creates the directory (wiping it if asked). */
    public FetcherCache build() throws IOException {
      return new FetcherCache(new FetchCache(directory, capacity, wipe));
    }
  }

  private final FetchCache table;

  private FetcherCache(FetchCache table) {
    this.table = table;
  }

  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  public Path directory() {
    return table.directory();
  }

  public long capacity() {
    return table.capacity();
  }

  /** Bytes held by cached entries (reserved, for downloads under way). */
  public long usedBytes() {
    return table.used();
  }

  /** How many URIs are cached or being downloaded into the cache. */
  public int entries() {
    return table.size();
  }

  /** The cache files on disk ({@code c<serial>-<basename>}), sorted. */
  public List<Path> files() throws IOException {
    return table.files();
  }

  FetchCache table() {
    return table;
  }
}
