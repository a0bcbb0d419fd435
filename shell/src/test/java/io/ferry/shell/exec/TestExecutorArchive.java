package io.ferry.shell.exec;

import io.ferry.packager.TarballBuilder;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A stand-in for the distribution archive (as the driver's tests use): {@code bin/ferry-executor}
 * starts the real executor main class in a real child JVM, on this test's class path. Snippet
 * classes are not on it: executors can only get them from the driver.
 */
final class TestExecutorArchive {
  private TestExecutorArchive() {}

  static Path build(Path dir) throws IOException {
    Path root = dir.resolve("ferry-test-bin");
    Path bin = Files.createDirectories(root.resolve("bin"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");
    Path script = bin.resolve("ferry-executor");
    Files.writeString(script, "#!/bin/sh\nexec '" + java + "' -Xmx256m -XX:TieredStopAtLevel=1 -cp '"
        + classpath.replace("'", "") + "' io.ferry.executor.FerryExecutor \"$@\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path archive = dir.resolve("ferry-test-bin.tgz");
    TarballBuilder.forDirectory(root).topLevel("ferry-test-bin").build(archive);
    return archive;
  }

  static String uri(Path archive) {
    return archive.toAbsolutePath().toUri().toString().replace("file:" + File.separator, "file:///");
  }
}
