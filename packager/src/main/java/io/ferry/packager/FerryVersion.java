package io.ferry.packager;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of this build, written in at build time. */
public final class FerryVersion {

  private static final Properties PROPS = load();

  private FerryVersion() {}

  public static String version() {
    return PROPS.getProperty("version", "unknown");
  }

  /** The Hadoop client version Ferry was built against. */
  public static String hadoopVersion() {
    return PROPS.getProperty("hadoop.version", "unknown");
  }

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = FerryVersion.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }
}
