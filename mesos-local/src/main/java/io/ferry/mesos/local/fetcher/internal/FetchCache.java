package io.ferry.mesos.local.fetcher.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fetcher cache's table, as Mesos keeps it: entries keyed {@code user@uri} (or the URI alone
 * without a user), files {@code <dir>/<user>/c<serial>-<basename>}, space reserved before a
 * download from the size known in advance and trued up after it, least recently used unreferenced
 * entries evicted to make room. There is no refresh: an entry is served until evicted or wiped.
 *
 * <p>Thread-safe. The first fetch of a key owns the new entry and downloads it; concurrent
 * fetches of the same key {@linkplain #await wait} for that download, and fall back to a direct
 * download if it fails. A referenced entry is never evicted.
 */
public final class FetchCache {

  private static final Logger LOG = LoggerFactory.getLogger(FetchCache.class);
  private static final Pattern CACHE_FILE = Pattern.compile("c(\\d+)-.*");

  /** One cached URI; its counts change only under the cache's lock. */
  private static final class Entry {
    final String key;
    final Path file;
    final CompletableFuture<Void> completion = new CompletableFuture<>();
    long size;
    int references;

    Entry(String key, Path file) {
      this.key = key;
      this.file = file;
    }
  }

  /** One fetch's hold on an entry, from {@link #reference} to {@link #release}. */
  public static final class Lease {
    private final Entry entry;
    private final boolean owner;

    private Lease(Entry entry, boolean owner) {
      this.entry = entry;
      this.owner = owner;
    }

    /** The cache file. */
    public Path file() {
      return entry.file;
    }

    /** Whether this fetch created the entry and must download it. */
    public boolean owner() {
      return owner;
    }
  }

  private final Path directory;
  private final long capacity;
  /** Access order: the first entry is the least recently used. */
  private final LinkedHashMap<String, Entry> table = new LinkedHashMap<>(16, 0.75f, true);
  private long serial;
  private long used;

  /**
   * @param wipe delete everything under {@code directory} first, as an agent does when it starts
   */
  public FetchCache(Path directory, long capacity, boolean wipe) throws IOException {
    this.directory = directory.toAbsolutePath();
    this.capacity = capacity;
    if (wipe) {
      deleteContents(this.directory);
    }
    Files.createDirectories(this.directory);
    // Without a wipe, old files stay (unaccounted); new names must not collide with them.
    this.serial = highestSerial(this.directory);
  }

  public Path directory() {
    return directory;
  }

  public long capacity() {
    return capacity;
  }

  public synchronized long used() {
    return used;
  }

  public synchronized int size() {
    return table.size();
  }

  /**
   * A hold on the entry for {@code uri} fetched as {@code user}: the existing one (now the most
   * recently used) or a new, pending one this fetch {@linkplain Lease#owner() owns} and must fill.
   * Empty when {@code user} cannot name a cache directory.
   */
  public synchronized Optional<Lease> reference(Optional<String> user, String uri,
      String basename) {
    if (user.isPresent() && !isDirectoryName(user.get())) {
      return Optional.empty();
    }
    String key = user.map(u -> u + "@" + uri).orElse(uri);
    Entry entry = table.get(key);
    boolean created = entry == null;
    if (created) {
      Path dir = user.map(directory::resolve).orElse(directory);
      entry = new Entry(key, dir.resolve(nextFilename(basename)));
      table.put(key, entry);
    }
    entry.references++;
    return Optional.of(new Lease(entry, created));
  }

  /**
   * Claims {@code bytes} for an owned entry, evicting least recently used entries nobody holds;
   * false, and the entry failed, if that cannot free enough.
   */
  public synchronized boolean reserve(Lease lease, long bytes) {
    long missing = bytes - Math.max(0, capacity - used);
    if (missing > 0) {
      List<Entry> victims = new ArrayList<>();
      long freed = 0;
      for (Entry candidate : table.values()) {
        if (freed >= missing) {
          break;
        }
        if (candidate.references == 0 && candidate.completion.isDone()) {
          victims.add(candidate);
          freed += candidate.size;
        }
      }
      if (freed < missing) {
        fail(lease);
        return false;
      }
      for (Entry victim : victims) {
        LOG.debug("Evicting {} ({} bytes) from the fetcher cache", victim.key, victim.size);
        remove(victim);
      }
    }
    used += bytes;
    lease.entry.size = bytes;
    return true;
  }

  /** The owner's download is in place and used: trues up the reservation, frees the waiters. */
  public synchronized void complete(Lease lease) {
    Entry entry = lease.entry;
    long actual;
    try {
      actual = Files.size(entry.file);
    } catch (IOException e) {
      LOG.warn("Fetcher cache file for {} disappeared: {}", entry.key, e.toString());
      fail(lease);
      return;
    }
    if (actual > entry.size) {
      // As Mesos: more than was reserved is not kept; the fetch itself has succeeded.
      LOG.warn("Fetcher cache file for {} is {} bytes, more than the {} reserved; dropping it",
          entry.key, actual, entry.size);
      fail(lease);
      return;
    }
    used -= entry.size - actual;
    entry.size = actual;
    entry.completion.complete(null);
  }

  /** The owner could not fill the entry: it is removed, and waiters fetch directly. */
  public synchronized void fail(Lease lease) {
    Entry entry = lease.entry;
    entry.completion.completeExceptionally(new IOException("cache download failed"));
    if (table.get(entry.key) == entry) {
      remove(entry);
    }
  }

  public synchronized void release(Lease lease) {
    lease.entry.references--;
  }

  /** Waits for the owner's download; false if it failed. */
  public static boolean await(Lease lease) throws InterruptedException {
    try {
      lease.entry.completion.get();
      return true;
    } catch (ExecutionException e) {
      return false;
    }
  }

  /** The cache files on disk, for operators and tests. */
  public List<Path> files() throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(directory)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> CACHE_FILE.matcher(p.getFileName().toString()).matches())
          .sorted()
          .toList();
    }
  }

  private void remove(Entry entry) {
    table.remove(entry.key);
    used -= entry.size;
    entry.size = 0;
    try {
      Files.deleteIfExists(entry.file);
    } catch (IOException e) {
      // The name is never reused (serials only grow), so a stray file shadows nothing.
      LOG.warn("Could not delete fetcher cache file {}: {}", entry.file, e.toString());
    }
  }

  private String nextFilename(String basename) {
    String base = basename;
    if (base.length() > 20) {
      // A prefix and a suffix, so the extension survives.
      base = base.substring(0, 10) + "_" + base.substring(base.length() - 10);
    }
    return "c" + (++serial) + "-" + base;
  }

  private static boolean isDirectoryName(String user) {
    return !user.isEmpty() && !user.equals(".") && !user.equals("..") && user.indexOf('/') < 0
        && user.indexOf('\0') < 0;
  }

  private static long highestSerial(Path directory) throws IOException {
    long highest = 0;
    try (Stream<Path> walk = Files.walk(directory)) {
      for (Iterator<Path> it = walk.iterator(); it.hasNext(); ) {
        Matcher m = CACHE_FILE.matcher(it.next().getFileName().toString());
        if (m.matches() && m.group(1).length() < 18) {
          highest = Math.max(highest, Long.parseLong(m.group(1)));
        }
      }
    }
    return highest;
  }

  private static void deleteContents(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return;
    }
    Files.walkFileTree(directory, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        if (!dir.equals(directory)) {
          Files.delete(dir);
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
