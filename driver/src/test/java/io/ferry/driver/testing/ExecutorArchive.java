package io.ferry.driver.testing;

import io.ferry.packager.TarballBuilder;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A stand-in for the distribution archive in module tests: {@code ferry-test-bin/bin/ferry-executor}
 * starts the real executor main class in a real child JVM, on this test's class path (so the
 * task classes of the test are loadable). The it/ suite uses the real distribution instead.
 * {@link #install} lays the same out as an installed distribution, without the archive.
 */
public final class ExecutorArchive {
  private ExecutorArchive() {}

  public static Path build(Path dir) throws IOException {
    Path root = install(dir.resolve("ferry-test-bin"));
    Path archive = dir.resolve("ferry-test-bin.tgz");
    TarballBuilder.forDirectory(root).topLevel("ferry-test-bin").build(archive);
    return archive;
  }

  /**
   * The same distribution installed at {@code home} (as {@code ferry.mesos.executor.home} expects it
   * on every agent): {@code <home>/bin/ferry-executor}. Returns {@code home}.
   */
  public static Path install(Path home) throws IOException {
    Path bin = Files.createDirectories(home.resolve("bin"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");
    Path script = bin.resolve("ferry-executor");
    Files.writeString(script, "#!/bin/sh\nexec '" + java + "' -Xmx256m -XX:TieredStopAtLevel=1 -cp '"
        + classpath.replace("'", "") + "' io.ferry.executor.FerryExecutor \"$@\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return home;
  }

  /** The archive's URI as agents fetch it. */
  public static String uri(Path archive) {
    return archive.toAbsolutePath().toUri().toString().replace("file:" + File.separator, "file:///");
  }
}
