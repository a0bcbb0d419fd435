package io.ferry.it.support;

import io.ferry.it.jobs.PiSlice;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The application jar of these tests: the classes of {@code io.ferry.it.jobs} (and nothing else)
 * in a jar passed as {@code ferry.jars}. Executors load only the distribution's {@code lib/} and
 * the jars their driver serves, so a task class that reaches an executor proves the jar path.
 */
public final class AppJar {
  private AppJar() {}

  public static Path build(Path dir) throws IOException {
    Path classes;
    try {
      classes = Path.of(PiSlice.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    Path jobs = classes.resolve("io/ferry/it/jobs");
    Path jar = dir.resolve("ferry-it-jobs.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(out, manifest);
        Stream<Path> files = Files.walk(jobs)) {
      List<Path> sorted = files.filter(Files::isRegularFile).sorted().toList();
      if (sorted.isEmpty()) {
        throw new IOException("no classes under " + jobs);
      }
      for (Path f : sorted) {
        jos.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, jos);
        jos.closeEntry();
      }
    }
    return jar;
  }
}
