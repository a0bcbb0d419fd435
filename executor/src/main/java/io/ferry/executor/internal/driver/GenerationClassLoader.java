package io.ferry.executor.internal.driver;

import java.util.Map;

/**
 * The classes of one run-time class generation (a shell's snippets, name to bytecode, immutable),
 * over the application's class loader. Parent first: a snippet class never shadows an application
 * class; a snippet class is defined here, from this generation's bytes only, so a task read with
 * this loader sees exactly one generation.
 */
final class GenerationClassLoader extends ClassLoader {
  static {
    registerAsParallelCapable();
  }

  private final Map<String, byte[]> classes;

  GenerationClassLoader(long generation, Map<String, byte[]> classes, ClassLoader application) {
    super("ferry-classes-gen-" + generation, application);
    this.classes = Map.copyOf(classes);
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    byte[] bytecode = classes.get(name);
    if (bytecode == null) {
      throw new ClassNotFoundException(name);
    }
    return defineClass(name, bytecode, 0, bytecode.length);
  }

  int size() {
    return classes.size();
  }
}
