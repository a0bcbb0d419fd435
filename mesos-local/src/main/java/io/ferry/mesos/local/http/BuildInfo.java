package io.ferry.mesos.local.http;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * {@code /version} (and the build fields of the state endpoints) as Mesos's {@code VersionProcess}
 * answers: {@code version}, {@code build_date}, {@code build_time}, {@code build_user}. What is
 * true of mesos-local is said: {@code version} is the Mesos release whose API it speaks (the
 * protobufs are {@code org.apache.mesos:mesos:1.11.0}'s, Mesos's last release), the build date
 * and time are those of mesos-local's own classes, and {@code build_user} names mesos-local and
 * its Ferry version, since no Mesos build user exists. No {@code git_sha}/{@code git_tag}: Mesos
 * omits them when it has none.
 */
public final class BuildInfo {

  /** The Mesos version mesos-local emulates, also its MasterInfo's {@code version}. */
  public static final String MESOS_VERSION = "1.11.0";

  private static final Instant BUILT = builtAt();

  private BuildInfo() {}

  /** Adds {@code version}, {@code build_date}, {@code build_time} and {@code build_user} to {@code o}. */
  public static void addTo(JsonObject o) {
    o.addProperty("version", MESOS_VERSION);
    o.addProperty("build_date", DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC).format(BUILT));
    o.add("build_time", MesosJson.number(BUILT.getEpochSecond()));
    String ferry = BuildInfo.class.getPackage().getImplementationVersion();
    o.addProperty("build_user", "mesos-local (Ferry" + (ferry == null ? "" : " " + ferry) + "), not a Mesos build");
  }

  /** {@code /version}. */
  public static JsonObject json() {
    JsonObject o = new JsonObject();
    addTo(o);
    return o;
  }

  /** When this class was built: its jar's (or class file's) modification time. */
  private static Instant builtAt() {
    try {
      Path where = Path.of(BuildInfo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path file = Files.isDirectory(where)
          ? where.resolve(BuildInfo.class.getName().replace('.', '/') + ".class") : where;
      return Files.getLastModifiedTime(file).toInstant();
    } catch (Exception unknown) {
      return Instant.EPOCH;
    }
  }
}
