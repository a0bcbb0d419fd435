package io.ferry.mesos.local.user;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Unix user as the system's name service knows it (files, LDAP, ...: whatever {@code getent}
 * consults), the way Mesos's {@code os::su} looks a task's user up with {@code getpwnam}.
 *
 * @param name the user name
 * @param uid its user id
 * @param gid its primary group id
 */
public record UnixAccount(String name, int uid, int gid) {

  /** The user this JVM runs as. */
  public static UnixAccount current() {
    com.sun.security.auth.module.UnixSystem self = new com.sun.security.auth.module.UnixSystem();
    return new UnixAccount(self.getUsername(), (int) self.getUid(), (int) self.getGid());
  }

  /** Whether this JVM runs as root, the only user that can switch to another. */
  public static boolean runningAsRoot() {
    return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
  }

  /**
   * The account named {@code name}, or empty if there is none. Only names are looked up, never
   * numbers: {@code getent passwd 0} would answer with root, {@code getpwnam("0")} with nothing.
   *
   * @throws IOException if {@code getent} cannot be run or gives an answer that is not a passwd
   *     line
   */
  public static Optional<UnixAccount> lookup(String name) throws IOException {
    if (name.isEmpty() || name.indexOf('\0') >= 0 || name.indexOf('\n') >= 0
        || name.indexOf(':') >= 0) {
      return Optional.empty();
    }
    Process getent = new ProcessBuilder("getent", "passwd", "--", name)
        .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
    String out;
    try (InputStream in = getent.getInputStream()) {
      out = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
    }
    int status;
    try {
      if (!getent.waitFor(30, TimeUnit.SECONDS)) {
        getent.destroyForcibly();
        throw new IOException("getent passwd did not answer within 30 s; check the name service");
      }
      status = getent.exitValue();
    } catch (InterruptedException e) {
      getent.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while looking up user '" + name + "'", e);
    }
    if (status == 2) {
      return Optional.empty();
    }
    String line = out.lines().findFirst().orElse("");
    String[] fields = line.split(":", -1);
    if (status != 0 || fields.length < 4) {
      throw new IOException("getent passwd failed for user '" + name + "' (exit " + status + "): "
          + out.strip());
    }
    if (!fields[0].equals(name)) {
      return Optional.empty();
    }
    try {
      return Optional.of(new UnixAccount(name, Integer.parseInt(fields[2]),
          Integer.parseInt(fields[3])));
    } catch (NumberFormatException e) {
      throw new IOException("getent passwd gave a line that is not a passwd entry for '" + name
          + "'", e);
    }
  }
}
