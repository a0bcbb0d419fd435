package io.ferry.driver;

import java.util.Map;
import java.util.Optional;

/**
 * Classes made at run time in the driver's JVM (the snippets of {@code bin/ferry-shell}), which no
 * application jar holds, served to executors one immutable generation at a time.
 *
 * <p>Every task is stamped at {@link FerryContext#submit submit} with {@link #current()}: its
 * executor asks the driver for that generation's classes over the authenticated link (once per
 * executor and generation) and reads and runs the task in a class loader of that generation alone,
 * so a task never sees classes of two generations. The driver reads the task's result with the
 * generation's {@link ClassGeneration#loader()}.
 *
 * <pre>{@code
 * FerryContext ferry = FerryContext.create(conf, snippetClasses);
 * }</pre>
 *
 * <p>Implementations are thread-safe; {@link #current()} is called on every submit and must be cheap.
 */
public interface ClassGenerations {
  /** No run-time classes: every task runs with the application's jars alone. */
  ClassGenerations NONE = new ClassGenerations() {
    @Override
    public long current() {
      return 0;
    }

    @Override
    public Optional<ClassGeneration> find(long id) {
      return Optional.empty();
    }
  };

  /** The generation a task submitted now runs with; {@code 0} for none. */
  long current();

  /** A generation by id, if it is known (ids start at 1). */
  Optional<ClassGeneration> find(long id);

  /**
   * One immutable generation.
   *
   * @param classes binary class name to bytecode, never changed after publication
   * @param loader where those classes are defined in the driver's JVM (reads results of the generation's tasks)
   */
  record ClassGeneration(long id, Map<String, byte[]> classes, ClassLoader loader) {
    public ClassGeneration {
      if (id <= 0) {
        throw new IllegalArgumentException("id: " + id + " (expected: > 0)");
      }
      classes = Map.copyOf(classes);
      if (loader == null) {
        throw new IllegalArgumentException("loader: null (expected: the loader that defined the classes)");
      }
    }
  }
}
