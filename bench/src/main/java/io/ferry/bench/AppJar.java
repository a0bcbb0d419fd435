package io.ferry.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * An application jar holding only the benchmarks' tasks ({@link NoopTask}, {@link SleepTask}), so
 * executors load the task classes from a jar the driver serves (as a user's job does), not from the
 * distribution's {@code lib/}.
 */
final class AppJar {
  private AppJar() {}

  static Path build(Path directory) throws IOException {
    Path jar = Files.createDirectories(directory).resolve("ferry-bench-app.jar");
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
      for (Class<?> task : new Class<?>[] {NoopTask.class, SleepTask.class}) {
        String entry = task.getName().replace('.', '/') + ".class";
        try (InputStream in = task.getClassLoader().getResourceAsStream(entry)) {
          if (in == null) {
            throw new IOException("cannot read " + entry + " from the benchmark's class path");
          }
          out.putNextEntry(new JarEntry(entry));
          in.transferTo(out);
          out.closeEntry();
        }
      }
    }
    return jar;
  }
}
