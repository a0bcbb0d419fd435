package io.ferry.executor.testing;

import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * An application jar made at test time, holding {@code app.Square} (a Task returning n * n): a
 * class the executor's own class path lacks, so it can only come from the driver's jar server.
 */
public final class AppJar {
  private AppJar() {}

  public static Path build(Path dir) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src/app"));
    Files.writeString(src.resolve("Square.java"), """
        package app;
        public record Square(int n) implements io.ferry.api.Task<Integer> {
          public Integer run(io.ferry.api.TaskContext context) { return n * n; }
        }
        """);
    Path classes = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
        src.resolve("Square.java").toString());
    if (rc != 0) {
      throw new IllegalStateException("javac failed: " + rc);
    }
    Path jar = dir.resolve("app.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("app/Square.class"));
      Files.copy(classes.resolve("app/Square.class"), out);
      out.closeEntry();
    }
    return jar;
  }

  /** A {@code new app.Square(n)} made in a loader of its own, as the driver holds it. */
  public static Object square(Path jar, int n) throws Exception {
    URLClassLoader loader = new URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, AppJar.class.getClassLoader());
    return loader.loadClass("app.Square").getConstructor(int.class).newInstance(n);
  }
}
