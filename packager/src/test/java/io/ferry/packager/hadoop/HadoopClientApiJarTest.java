package io.ferry.packager.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.apache.hadoop.fs.FsShell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The distribution's Hadoop client, ferry-hadoop-client-api (hadoop-client-api without YARN and
 * MapReduce): Hadoop iterates some of its service files (SecurityInfo, TokenIdentifier) with
 * ServiceLoader, which fails on a provider it cannot load, so every provider the jar names must be
 * in the jar; and what was cut must really be gone.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HadoopClientApiJarTest {

  private static JarFile trimmedJar() throws IOException {
    // Found through a class both jars have: the test class path also holds Hadoop's minicluster.
    for (URL url : Collections.list(HadoopClientApiJarTest.class.getClassLoader()
        .getResources(FsShell.class.getName().replace('.', '/') + ".class"))) {
      if (url.getProtocol().equals("jar") && url.getPath().contains("ferry-hadoop-client-api")) {
        return ((JarURLConnection) url.openConnection()).getJarFile();
      }
    }
    throw new AssertionError("ferry-hadoop-client-api is not on the test class path");
  }

  @Test
  void everyServiceProviderItNamesIsInTheJar() throws IOException {
    JarFile jar = trimmedJar();
    List<String> missing = new ArrayList<>();
    int providers = 0;
    for (var entry : Collections.list(jar.entries())) {
      if (!entry.getName().startsWith("META-INF/services/") || entry.isDirectory()) {
        continue;
      }
      for (String line : new String(jar.getInputStream(entry).readAllBytes()).split("\n")) {
        String provider = line.replaceFirst("#.*", "").strip();
        if (provider.isEmpty()) {
          continue;
        }
        providers++;
        if (jar.getEntry(provider.replace('.', '/') + ".class") == null) {
          missing.add(entry.getName() + ": " + provider);
        }
      }
    }
    assertThat(providers).as("providers named").isGreaterThan(30);
    assertThat(missing).as("providers named but not in the jar").isEmpty();
    assertThat(jar.getEntry("META-INF/services/org.apache.hadoop.fs.FileSystem")).isNotNull();
  }

  @Test
  void yarnAndMapReduceAreGoneAndTheHdfsClientStays() throws IOException {
    JarFile jar = trimmedJar();
    assertThat(Collections.list(jar.entries())).noneMatch(e -> e.getName().matches(
        "org/apache/hadoop/(yarn|mapred|mapreduce|filecache)/.*|webapps/.*|(yarn|mapred)-default\\.xml"));
    for (String kept : List.of("org/apache/hadoop/hdfs/DistributedFileSystem.class",
        "org/apache/hadoop/hdfs/web/WebHdfsFileSystem.class", "org/apache/hadoop/fs/FsShell.class",
        "org/apache/hadoop/security/UserGroupInformation.class", "core-default.xml",
        "common-version-info.properties")) {
      assertThat(jar.getEntry(kept)).as(kept).isNotNull();
    }
  }
}
