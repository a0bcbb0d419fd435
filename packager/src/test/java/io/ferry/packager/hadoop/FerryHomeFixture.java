package io.ferry.packager.hadoop;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A stand-in for an unpacked Ferry distribution, enough for {@code bin/hadoop} to run:
 * {@code bin/} holds the real launch scripts from {@code src/main/dist/bin}, {@code lib/} links
 * the jars of the test classpath (without the test-only ones) and a jar of
 * {@code target/classes}.
 */
final class FerryHomeFixture {

  // Test frameworks, and Hadoop's minicluster, which repeats hadoop-client-api's classes.
  private static final Pattern TEST_ONLY = Pattern.compile(
      "hadoop-client-minicluster|junit|assertj|opentest4j|apiguardian|byte-buddy|hamcrest|surefire");

  private FerryHomeFixture() {}

  static Path create(Path home) throws IOException {
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path lib = Files.createDirectories(home.resolve("lib"));
    Path scripts = moduleDir().resolve("src/main/dist/bin");
    for (String script : List.of("hadoop", "ferry-common.sh")) {
      Path copy = Files.copy(scripts.resolve(script), bin.resolve(script));
      Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    int n = 0;
    // bin/hadoop's class path, as make-distribution.sh writes it: one jar of lib/ a line.
    StringBuilder classPath = new StringBuilder();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      String name = path.getFileName().toString();
      if (Files.isDirectory(path) && name.equals("classes")) {
        jar(path, lib.resolve("ferry-packager.jar"));
        classPath.append("ferry-packager.jar\n");
      } else if (name.endsWith(".jar") && !TEST_ONLY.matcher(name).find()) {
        // Numbered, because jars of different groups can share a file name.
        String link = String.format("%03d-%s", n++, name);
        Files.createSymbolicLink(lib.resolve(link), path);
        classPath.append(link).append('\n');
      }
    }
    Files.writeString(Files.createDirectories(lib.resolve("classpath")).resolve("hadoop.txt"), classPath);
    return home;
  }

  private static Path moduleDir() {
    String basedir = System.getProperty("basedir");
    return basedir != null ? Path.of(basedir) : Path.of("").toAbsolutePath();
  }

  private static void jar(Path classes, Path jar) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> walk = Files.walk(classes)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
        out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace(File.separatorChar, '/')));
        Files.copy(p, out);
        out.closeEntry();
      }
    }
  }
}
