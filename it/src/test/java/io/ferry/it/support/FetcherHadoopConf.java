package io.ferry.it.support;

import io.ferry.packager.testing.S3ProxyServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Hadoop configuration mesos-local's fetcher reads, as a Mesos agent's {@code hadoop fs
 * -copyToLocal} would: {@code $HADOOP_CONF_DIR/core-site.xml}. The fetcher runs inside the test
 * JVM (the agents of {@code local-cluster} are in-process) and loads the file when the cluster
 * starts, so a test writes it before creating its {@code FerryContext}. The it/ pom points
 * {@code HADOOP_CONF_DIR} at {@code target/fetcher-hadoop-conf}.
 */
public final class FetcherHadoopConf {
  private FetcherHadoopConf() {}

  public static Path dir() {
    String dir = System.getenv("HADOOP_CONF_DIR");
    if (dir == null || dir.isBlank()) {
      throw new IllegalStateException("HADOOP_CONF_DIR is not set for the test JVM (the it/ pom sets it)");
    }
    return Path.of(dir);
  }

  /** S3 settings for {@code s3} (endpoint, path style, the key pair) in {@code core-site.xml}. */
  public static Path writeFor(S3ProxyServer s3) throws IOException {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("fs.s3a.endpoint", s3.endpoint().toString());
    props.put("fs.s3a.endpoint.region", S3ProxyServer.REGION);
    props.put("fs.s3a.path.style.access", "true");
    props.put("fs.s3a.access.key", S3ProxyServer.ACCESS_KEY);
    props.put("fs.s3a.secret.key", S3ProxyServer.SECRET_KEY);
    return write(props);
  }

  /** An empty {@code core-site.xml}: Hadoop's defaults (an hdfs:// URI names its namenode). */
  public static Path clear() throws IOException {
    return write(Map.of());
  }

  private static Path write(Map<String, String> props) throws IOException {
    Path dir = Files.createDirectories(dir());
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<configuration>\n");
    props.forEach((k, v) -> xml.append("  <property><name>").append(k).append("</name><value>").append(v)
        .append("</value></property>\n"));
    xml.append("</configuration>\n");
    Path file = dir.resolve("core-site.xml");
    Files.writeString(file, xml);
    return file;
  }
}
