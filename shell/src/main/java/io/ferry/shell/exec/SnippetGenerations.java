package io.ferry.shell.exec;

import io.ferry.driver.ClassGenerations;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every class JShell has defined in this JVM, as immutable generations: each load (or redefinition)
 * that changes the snippet classes publishes a new generation holding all of them (name to
 * bytecode), and {@link #current()} moves to it. A {@code FerryContext} created with this
 * {@link ClassGenerations} stamps every task with the current generation; executors load exactly
 * that generation's classes for it.
 *
 * <p>Stored as a chain of differences (each generation keeps only what it added or replaced, and
 * its parent), so the driver holds every class's bytes once however many generations there are;
 * {@link #find} puts one generation together on demand (an executor asks once per generation).
 * A new JShell engine (the tool's {@code /reset}, {@code /reload}) starts a new chain: its class
 * names start again from {@code $JShell$1}, with other bytes, in another class loader.
 *
 * <p>Thread-safe: JShell publishes from its own thread, the driver reads from any.
 */
public final class SnippetGenerations implements ClassGenerations {
  private static final SnippetGenerations SHARED = new SnippetGenerations();

  /** One generation: what it changed over its parent (null at a session's start). */
  private record Node(long id, Node parent, Map<String, byte[]> changed, ClassLoader loader) {}

  private final Map<Long, Node> byId = new ConcurrentHashMap<>();
  private final Object publishLock = new Object();
  private volatile Node head;
  private boolean newSession = true;
  private long lastId;

  /**
   * The generations of this JVM's shell: what the {@code ferry} engine that JShell's tool creates
   * through {@code ServiceLoader} ({@code --execution ferry}) publishes to, and what the shell's
   * {@code FerryContext} is created with.
   */
  public static SnippetGenerations shared() {
    return SHARED;
  }

  /** Generations apart from {@link #shared()} (tests, or a second JShell in one JVM). */
  public SnippetGenerations() {}

  @Override
  public long current() {
    Node h = head;
    return h == null ? 0 : h.id();
  }

  @Override
  public Optional<ClassGeneration> find(long id) {
    Node node = byId.get(id);
    if (node == null) {
      return Optional.empty();
    }
    Deque<Node> chain = new ArrayDeque<>();
    for (Node n = node; n != null; n = n.parent()) {
      chain.push(n);
    }
    Map<String, byte[]> classes = new HashMap<>();
    chain.forEach(n -> classes.putAll(n.changed()));
    return Optional.of(new ClassGeneration(id, classes, node.loader()));
  }

  /** The next generation starts empty: a new JShell engine, whose classes share nothing with the last one's. */
  void startSession() {
    synchronized (publishLock) {
      newSession = true;
    }
  }

  /**
   * Publishes the generation that adds or replaces {@code changed} (binary name to bytecode),
   * defined in the driver's JVM by {@code loader}. Nothing is published for no change.
   *
   * @return the new generation's id, or the current one when nothing changed
   */
  long publish(Map<String, byte[]> changed, ClassLoader loader) {
    synchronized (publishLock) {
      if (changed.isEmpty()) {
        return current();
      }
      Map<String, byte[]> copy = new HashMap<>();
      changed.forEach((name, bytes) -> copy.put(name, bytes.clone()));
      Node node = new Node(++lastId, newSession ? null : head, Map.copyOf(copy), loader);
      newSession = false;
      byId.put(node.id(), node);
      head = node;
      return node.id();
    }
  }
}
