package io.ferry.executor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DirectoryLogConfigTest {
  @TempDir
  Path dir;

  @Test
  void theConfDirectorysFileWinsOverAJarsCopyEarlierOnTheClassPath() throws IOException {
    Path jar = jarWith(dir.resolve("packager.jar"), "org.slf4j.simpleLogger.defaultLogLevel=info\n");
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Files.writeString(conf.resolve("simplelogger.properties"),
        "org.slf4j.simpleLogger.defaultLogLevel=warn\norg.slf4j.simpleLogger.showDateTime=true\nother.key=x\n");
    Properties system = new Properties();

    DirectoryLogConfig.apply(jar + File.pathSeparator + conf, system);

    assertThat(system).containsEntry("org.slf4j.simpleLogger.defaultLogLevel", "warn")
        .containsEntry("org.slf4j.simpleLogger.showDateTime", "true")
        .doesNotContainKey("other.key");
  }

  @Test
  void aDashDPropertyStillWins() throws IOException {
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Files.writeString(conf.resolve("simplelogger.properties"), "org.slf4j.simpleLogger.log.io.ferry=warn\n");
    Properties system = new Properties();
    system.setProperty("org.slf4j.simpleLogger.log.io.ferry", "info");

    DirectoryLogConfig.apply(conf.toString(), system);

    assertThat(system).containsEntry("org.slf4j.simpleLogger.log.io.ferry", "info");
  }

  @Test
  void onlyTheFirstDirectoryWithTheFileCountsAndNoneIsFine() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Path first = Files.createDirectories(dir.resolve("first"));
    Path second = Files.createDirectories(dir.resolve("second"));
    Files.writeString(first.resolve("simplelogger.properties"), "org.slf4j.simpleLogger.showThreadName=false\n");
    Files.writeString(second.resolve("simplelogger.properties"), "org.slf4j.simpleLogger.showThreadName=true\n");
    Properties system = new Properties();

    DirectoryLogConfig.apply(String.join(File.pathSeparator, "", empty.toString(), first.toString(), second.toString()),
        system);
    assertThat(system).containsEntry("org.slf4j.simpleLogger.showThreadName", "false");

    Properties untouched = new Properties();
    DirectoryLogConfig.apply(empty + File.pathSeparator + dir.resolve("missing"), untouched);
    assertThat(untouched).isEmpty();
  }

  private static Path jarWith(Path jar, String simpleLoggerProperties) throws IOException {
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
      j.putNextEntry(new JarEntry("simplelogger.properties"));
      j.write(simpleLoggerProperties.getBytes(StandardCharsets.UTF_8));
      j.closeEntry();
    }
    return jar;
  }
}
