package io.ferry.packager.hadoop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Builds the Hadoop {@link Configuration} that Ferry's {@code bin/hadoop} shim and the
 * {@code ferry-package} CLI use, from the files an operator already maintains.
 *
 * <p>Sources, later ones winning: Hadoop's defaults and any {@code core-site.xml} on the
 * classpath; then {@code $HADOOP_CONF_DIR/core-site.xml} and {@code hdfs-site.xml} when
 * {@code HADOOP_CONF_DIR} is set, else {@code $FERRY_HOME/conf/core-site.xml} and
 * {@code hdfs-site.xml} (HA name services live in the latter). Missing files are skipped.
 *
 * <p>A Mesos agent runs the shim on the launch path of every task that fetches an
 * {@code hdfs://} URI, so a dead namenode must fail the fetch in seconds: Hadoop's defaults
 * retry a refused connection 10 times and a timed-out one 45 times with 20 s timeouts, which
 * adds up to many minutes. Unless the operator set them, {@link #FAST_FAIL} replaces those.
 *
 * <pre>{@code
 * Configuration conf = HadoopConfLoader.load();   // reads System.getenv()
 * }</pre>
 */
public final class HadoopConfLoader {

  /** Client retry settings applied unless a site file or {@code -D} set them. */
  public static final Map<String, String> FAST_FAIL;

  static {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("ipc.client.connect.max.retries", "2");
    m.put("ipc.client.connect.max.retries.on.timeouts", "2");
    m.put("ipc.client.connect.timeout", "5000");
    FAST_FAIL = Collections.unmodifiableMap(m);
  }

  private static final List<String> SITE_FILES = List.of("core-site.xml", "hdfs-site.xml");

  private HadoopConfLoader() {}

  /** The configuration for this process's environment. */
  public static Configuration load() {
    return load(System.getenv());
  }

  /** The configuration for {@code env} (tests pass their own map). */
  public static Configuration load(Map<String, String> env) {
    Configuration conf = new Configuration();
    for (Path file : siteFiles(env)) {
      conf.addResource(new org.apache.hadoop.fs.Path(file.toUri()));
    }
    applyFastFailDefaults(conf);
    return conf;
  }

  /** The site files that {@link #load(Map)} adds for {@code env}, in order; only existing ones. */
  public static List<Path> siteFiles(Map<String, String> env) {
    Path dir = confDir(env);
    List<Path> files = new ArrayList<>();
    if (dir != null) {
      for (String name : SITE_FILES) {
        Path file = dir.resolve(name);
        if (Files.isRegularFile(file)) {
          files.add(file);
        }
      }
    }
    return files;
  }

  /**
   * Sets each {@link #FAST_FAIL} key that only Hadoop's built-in defaults define. A value from
   * any site file or set in code counts as the operator's choice and is kept.
   */
  public static void applyFastFailDefaults(Configuration conf) {
    FAST_FAIL.forEach((key, value) -> {
      if (!setByUser(conf, key)) {
        conf.set(key, value, "Ferry's fast-failing client default");
      }
    });
  }

  private static boolean setByUser(Configuration conf, String key) {
    if (conf.get(key) == null) {
      return false;
    }
    String[] sources = conf.getPropertySources(key);
    if (sources == null) {
      return true;
    }
    for (String source : sources) {
      if (!source.endsWith("-default.xml")) {
        return true;
      }
    }
    return false;
  }

  private static Path confDir(Map<String, String> env) {
    String hadoopConfDir = env.get("HADOOP_CONF_DIR");
    if (hadoopConfDir != null && !hadoopConfDir.isBlank()) {
      return Path.of(hadoopConfDir);
    }
    String ferryHome = env.get("FERRY_HOME");
    if (ferryHome != null && !ferryHome.isBlank()) {
      return Path.of(ferryHome, "conf");
    }
    return null;
  }
}
