package io.ferry.executor.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Keeps {@code conf/simplelogger.properties} ahead of any jar's copy although {@code conf/} is now
 * last on the executor's class path.
 *
 * <p>Why: {@code bin/ferry-executor} puts directories after every jar, because a class data sharing
 * archive cannot be made (nor used) with a non-empty directory ahead of a jar it archived from. The
 * other tools keep {@code conf/} first, so that its files win over jars' resources of the same name;
 * for the executor the one such name is SLF4J simple's {@code simplelogger.properties}, which
 * ferry-packager's jar also carries. SLF4J simple reads system properties before its file, so the
 * first directory's file is copied into system properties, each only where no {@code -D} set it
 * already. This must run before the first logger is created.
 */
public final class DirectoryLogConfig {
  static final String FILE = "simplelogger.properties";
  private static final String PREFIX = "org.slf4j.simpleLogger.";

  private DirectoryLogConfig() {}

  /** Applies the first directory entry of {@code java.class.path} that holds the file. */
  public static void apply() {
    apply(System.getProperty("java.class.path", ""), System.getProperties());
  }

  static void apply(String classPath, Properties system) {
    for (String entry : classPath.split(Pattern.quote(java.io.File.pathSeparator))) {
      if (entry.isEmpty()) {
        continue;
      }
      Path file = Path.of(entry).resolve(FILE);
      if (Files.isDirectory(Path.of(entry)) && Files.isRegularFile(file)) {
        Properties conf = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
          conf.load(in);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + file + " (the executor's logging configuration)", e);
        }
        for (String key : conf.stringPropertyNames()) {
          if (key.startsWith(PREFIX)) {
            system.putIfAbsent(key, conf.getProperty(key));
          }
        }
        return;
      }
    }
  }
}
