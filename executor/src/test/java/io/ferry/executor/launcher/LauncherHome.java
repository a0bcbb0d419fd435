package io.ferry.executor.launcher;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A distribution's layout for {@code bin/ferry-executor}, made from this build: the launcher
 * scripts from the sources ({@code src/main/dist/bin}, the packager's {@code ferry-common.sh}),
 * every entry of the test class path as a jar in {@code lib/} (directories are jarred: the class
 * data sharing archive takes classes from jars only) listed in order in
 * {@code lib/classpath/ferry-executor.txt}, {@code conf/} and a {@code RELEASE} file.
 */
final class LauncherHome {
  private LauncherHome() {}

  static Path build(Path home) throws IOException {
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path lib = Files.createDirectories(home.resolve("lib"));
    Path conf = Files.createDirectories(home.resolve("conf"));
    Path sources = Path.of("src/main/dist/bin");
    for (Path script : List.of(sources.resolve("ferry-executor"), sources.resolve("ferry-executor-cds.sh"),
        Path.of("../packager/src/main/dist/bin/ferry-common.sh"))) {
      Path to = bin.resolve(script.getFileName().toString());
      Files.copy(script, to, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    int n = 0;
    StringBuilder list = new StringBuilder();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path from = Path.of(entry);
      String name = String.format("%03d-%s", n++, from.getFileName().toString());
      if (Files.isDirectory(from)) {
        jar(from, lib.resolve(name + ".jar"));
        list.append(name).append(".jar\n");
      } else if (entry.endsWith(".jar")) {
        Files.copy(from, lib.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
        list.append(name).append('\n');
      }
    }
    // The launcher's class path list, as make-distribution.sh writes one per launcher
    Files.writeString(Files.createDirectories(lib.resolve("classpath")).resolve("ferry-executor.txt"), list);
    Files.writeString(conf.resolve("simplelogger.properties"), "org.slf4j.simpleLogger.defaultLogLevel=warn\n");
    Files.writeString(home.resolve("RELEASE"), "Ferry launcher test " + System.nanoTime() + "\n");
    return home;
  }

  private static void jar(Path dir, Path jar) throws IOException {
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
        Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        j.putNextEntry(new JarEntry(dir.relativize(f).toString().replace(File.separatorChar, '/')));
        Files.copy(f, j);
        j.closeEntry();
      }
    }
  }
}
