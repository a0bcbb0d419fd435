package io.ferry.packager.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Which site files the shim reads, and the fast-failing client defaults. */
@Timeout(30)
class HadoopConfLoaderTest {

  @TempDir
  Path dir;

  private static void site(Path confDir, String file, String... keyValues) throws IOException {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<configuration>\n");
    for (int i = 0; i < keyValues.length; i += 2) {
      xml.append("  <property><name>").append(keyValues[i]).append("</name><value>")
          .append(keyValues[i + 1]).append("</value></property>\n");
    }
    xml.append("</configuration>\n");
    Files.createDirectories(confDir);
    Files.writeString(confDir.resolve(file), xml);
  }

  @Test
  @Timeout(30)
  void readsFerryHomeConfWhenHadoopConfDirIsUnset() throws IOException {
    Path ferryHome = dir.resolve("ferry");
    site(ferryHome.resolve("conf"), "core-site.xml", "fs.defaultFS", "hdfs://nn.example:8020");
    site(ferryHome.resolve("conf"), "hdfs-site.xml", "dfs.nameservices", "prod");

    Configuration conf = HadoopConfLoader.load(Map.of("FERRY_HOME", ferryHome.toString()));

    assertThat(conf.get("fs.defaultFS")).isEqualTo("hdfs://nn.example:8020");
    assertThat(conf.get("dfs.nameservices")).isEqualTo("prod");
  }

  @Test
  @Timeout(30)
  void hadoopConfDirReplacesFerryHomeConf() throws IOException {
    Path ferryHome = dir.resolve("ferry");
    Path hadoopConf = dir.resolve("etc-hadoop");
    site(ferryHome.resolve("conf"), "core-site.xml",
        "fs.defaultFS", "hdfs://ferry:8020", "ferry.only", "x");
    site(hadoopConf, "core-site.xml", "fs.defaultFS", "hdfs://operator:8020");

    Map<String, String> env = Map.of("FERRY_HOME", ferryHome.toString(),
        "HADOOP_CONF_DIR", hadoopConf.toString());
    Configuration conf = HadoopConfLoader.load(env);

    assertThat(conf.get("fs.defaultFS")).isEqualTo("hdfs://operator:8020");
    assertThat(conf.get("ferry.only")).isNull();
    assertThat(HadoopConfLoader.siteFiles(env)).containsExactly(hadoopConf.resolve("core-site.xml"));
  }

  @Test
  @Timeout(30)
  void appliesFastFailDefaultsOverHadoopsOwn() {
    Configuration conf = HadoopConfLoader.load(Map.of());

    assertThat(conf.getInt("ipc.client.connect.max.retries", -1)).isEqualTo(2);
    assertThat(conf.getInt("ipc.client.connect.max.retries.on.timeouts", -1)).isEqualTo(2);
    assertThat(conf.getInt("ipc.client.connect.timeout", -1)).isEqualTo(5000);
  }

  @Test
  @Timeout(30)
  void keepsRetrySettingsTheOperatorChose() throws IOException {
    Path hadoopConf = dir.resolve("etc-hadoop");
    site(hadoopConf, "core-site.xml", "ipc.client.connect.max.retries.on.timeouts", "10");

    Configuration conf = HadoopConfLoader.load(Map.of("HADOOP_CONF_DIR", hadoopConf.toString()));

    assertThat(conf.getInt("ipc.client.connect.max.retries.on.timeouts", -1)).isEqualTo(10);
    assertThat(conf.getInt("ipc.client.connect.max.retries", -1)).isEqualTo(2);
  }

  @Test
  @Timeout(30)
  void missingDirectoriesAndFilesAreSkipped() {
    Map<String, String> env = Map.of("HADOOP_CONF_DIR", dir.resolve("nope").toString());

    assertThat(HadoopConfLoader.siteFiles(env)).isEmpty();
    assertThat(HadoopConfLoader.load(env).get("fs.defaultFS")).isEqualTo("file:///");
  }
}
