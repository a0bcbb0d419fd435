package io.ferry.shell.cli;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The shell JVM's system class loader ({@code bin/ferry-shell} passes
 * {@code -Djava.system.class.loader=io.ferry.shell.cli.ShellClassLoader}), so that {@code --jars}
 * can join it once the options are parsed. JShell's in-process engines ({@code local}, and
 * {@code ferry} which extends it) define snippets in a loader whose parent is the system class
 * loader and do not put the tool's {@code --class-path} on it (that option reaches only the
 * compiler and a remote JVM): without this, a snippet compiles against a {@code --jars} class and
 * fails with {@code NoClassDefFoundError} when it runs. Its parent is the JVM's own application
 * loader (the distribution's {@code lib/}), asked first, so Ferry's classes stay the ones the driver uses.
 */
public final class ShellClassLoader extends URLClassLoader {
  static {
    ClassLoader.registerAsParallelCapable();
  }

  /** The JVM calls this with its built-in application class loader. */
  public ShellClassLoader(ClassLoader parent) {
    super("ferry-shell-jars", new URL[0], parent);
  }

  /** The JVM's system class loader, if the launcher made it one of these. */
  static Optional<ShellClassLoader> installed() {
    return ClassLoader.getSystemClassLoader() instanceof ShellClassLoader s ? Optional.of(s) : Optional.empty();
  }

  void add(Path jar) {
    try {
      addURL(jar.toAbsolutePath().toUri().toURL());
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("--jars entry " + jar + ": " + e.getMessage(), e);
    }
  }

  /** For {@code -javaagent}s the JVM may load through a custom system loader. */
  void appendToClassPathForInstrumentation(String path) {
    add(Path.of(path));
  }
}
