package io.ferry.executor.internal.driver;

import io.ferry.api.TaskSerializer;
import io.ferry.rpc.DriverConnection;
import io.ferry.rpc.proto.ClassFile;
import io.ferry.rpc.proto.Classes;
import io.ferry.rpc.proto.ClassesRequest;
import io.ferry.rpc.proto.Frame;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run-time class generations (a shell's snippets) this executor has fetched from its driver,
 * each in its own {@link GenerationClassLoader} over the application's loader.
 *
 * <p>A task of generation {@code g} {@link #acquire acquires} it: the first task asks the driver
 * ({@code ClassesRequest} on the authenticated link) and every task of {@code g} waits for that
 * one answer; later tasks of {@code g} find it here and cost a map look-up (no transfer). At most
 * {@link #KEPT} generations stay cached: beyond that, the least recently used one that no running
 * task holds is dropped (with its loader), never one a task still uses.
 *
 * <p>Thread-safe: task threads acquire and release; answers and the link's end arrive on the core
 * thread. One short lock guards the map; nothing waits while holding it.
 */
final class ClassGenerationCache {
  private static final Logger log = LoggerFactory.getLogger(ClassGenerationCache.class);
  static final int KEPT = 8;

  /** A generation's loader and the serializer that reads tasks with it. */
  record Loaded(GenerationClassLoader loader, TaskSerializer serializer) {}

  /** A task's hold on one generation: the cache keeps it while any lease on it is open. */
  final class Lease implements AutoCloseable {
    private final Entry entry;
    private boolean closed;

    private Lease(Entry entry) {
      this.entry = entry;
    }

    /** Waits for the driver's answer (interruptible: a killed task stops waiting). */
    Loaded await() throws InterruptedException {
      try {
        return entry.loaded.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("cannot get class generation " + entry.generation + " from the driver: "
            + e.getCause().getMessage(), e.getCause());
      }
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        release(entry);
      }
    }
  }

  private static final class Entry {
    final long generation;
    final CompletableFuture<Loaded> loaded = new CompletableFuture<>();
    int users;
    long lastUse;

    Entry(long generation) {
      this.generation = generation;
    }
  }

  private final DriverConnection driver;
  private final ClassLoader application;
  private final String tag;
  private final Map<Long, Entry> entries = new HashMap<>();
  private long clock;
  private String failure;

  ClassGenerationCache(DriverConnection driver, ClassLoader application, String tag) {
    this.driver = driver;
    this.application = application;
    this.tag = tag;
  }

  /** Holds generation {@code generation} for one task; asks the driver for it if it is not here. */
  Lease acquire(long generation) {
    Entry entry;
    boolean ask = false;
    synchronized (this) {
      entry = entries.get(generation);
      if (entry == null) {
        entry = new Entry(generation);
        entries.put(generation, entry);
        if (failure != null) {
          entry.loaded.completeExceptionally(new IllegalStateException(failure));
        } else {
          ask = true;
        }
      }
      entry.users++;
      entry.lastUse = ++clock;
    }
    if (ask) {
      log.info("{} fetching class generation {} from the driver", tag, generation);
      driver.send(Frame.newBuilder().setClassesRequest(ClassesRequest.newBuilder().setGeneration(generation)).build());
    }
    return new Lease(entry);
  }

  /** The driver's answer to a {@code ClassesRequest}. */
  void onClasses(Classes classes) {
    Entry entry;
    synchronized (this) {
      entry = entries.get(classes.getGeneration());
    }
    if (entry == null || entry.loaded.isDone()) {
      log.warn("{} the driver sent class generation {}, which no task here asked for", tag, classes.getGeneration());
      return;
    }
    if (!classes.getError().isEmpty()) {
      entry.loaded.completeExceptionally(new IllegalStateException(classes.getError()));
      return;
    }
    Map<String, byte[]> bytecode = new HashMap<>();
    for (ClassFile c : classes.getClassesList()) {
      bytecode.put(c.getName(), c.getBytecode().toByteArray());
    }
    GenerationClassLoader loader = new GenerationClassLoader(classes.getGeneration(), bytecode, application);
    log.info("{} class generation {} has {} class(es)", tag, classes.getGeneration(), loader.size());
    entry.loaded.complete(new Loaded(loader, new TaskSerializer(loader)));
  }

  /** The link ended: tasks waiting for a generation fail with {@code reason}, and so do later ones. */
  void failAll(String reason) {
    synchronized (this) {
      failure = reason;
      entries.values().forEach(e -> e.loaded.completeExceptionally(new IllegalStateException(reason)));
    }
  }

  /** How many generations are cached (for tests and logs). */
  synchronized int size() {
    return entries.size();
  }

  private synchronized void release(Entry entry) {
    entry.users--;
    evictIdle();
  }

  /** Drops the least recently used idle generations beyond {@link #KEPT}; failed ones go first. */
  private void evictIdle() {
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.users == 0 && e.loaded.isCompletedExceptionally()) {
        it.remove();
      }
    }
    while (entries.size() > KEPT) {
      Entry oldest = null;
      for (Entry e : entries.values()) {
        if (e.users == 0 && e.loaded.isDone() && (oldest == null || e.lastUse < oldest.lastUse)) {
          oldest = e;
        }
      }
      if (oldest == null) {
        return;
      }
      entries.remove(oldest.generation);
    }
  }
}
