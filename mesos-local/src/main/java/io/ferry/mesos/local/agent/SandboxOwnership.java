package io.ferry.mesos.local.agent;

import io.ferry.mesos.local.user.UnixAccount;
import io.ferry.mesos.local.user.UserSwitch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A sandbox handed to the task's user, as Mesos's agent chowns the executor directory: everything
 * in it becomes the user's (symlinks themselves, never what they point to), and the sandbox
 * itself is {@code 0750}, so other users cannot read what was fetched for this task.
 *
 * <p>The agent fetches into a sandbox that is still its own and hands it over afterwards: while
 * root writes there, no process of the user can slip a symlink into it.
 */
final class SandboxOwnership {

  private SandboxOwnership() {}

  /** The sandbox closed to others ({@code 0750}), owned by whoever runs the agent. */
  static void close(Path sandbox) throws IOException {
    Files.setPosixFilePermissions(sandbox, PosixFilePermissions.fromString("rwxr-x---"));
  }

  /**
   * Everything under {@code sandbox}, and the sandbox, now owned by {@code account}: deepest
   * first, so that no directory is the user's before everything in it has been handed over (the
   * user could otherwise swap a directory still to be visited for a symlink, and root would chown
   * what it points to).
   */
  static void handOver(Path sandbox, UnixAccount account) throws IOException {
    List<Path> all;
    try (Stream<Path> walk = Files.walk(sandbox)) {
      all = new java.util.ArrayList<>(walk.toList());
    }
    java.util.Collections.reverse(all);
    close(sandbox);
    for (Path p : all) {
      Files.setAttribute(p, "unix:uid", account.uid(), LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(p, "unix:gid", account.gid(), LinkOption.NOFOLLOW_LINKS);
    }
  }

  /**
   * Fails, naming the directory to fix, when {@code account} cannot reach {@code dir}: the agent's
   * work directory and every directory above it must be searchable by the task's user, or the
   * executor could not use {@code MESOS_SANDBOX} (nor a JVM its class path).
   */
  static void checkReachable(UserSwitch userSwitch, UnixAccount account, Path dir)
      throws IOException {
    Process test = new ProcessBuilder(userSwitch.command(account,
        List.of("/usr/bin/test", "-x", dir.toString())))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      if (!test.waitFor(30, TimeUnit.SECONDS)) {
        test.destroyForcibly();
        throw new IOException("checking that user '" + account.name() + "' can reach " + dir
            + " did not finish");
      }
    } catch (InterruptedException e) {
      test.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted");
    }
    if (test.exitValue() != 0) {
      throw new IOException("the task's user '" + account.name() + "' cannot reach " + dir
          + ": " + blocker(dir) + "; make the agent's work directory and the directories above"
          + " it searchable by others (chmod o+x), or turn the agent's switch_user off");
    }
  }

  private static String blocker(Path dir) {
    for (Path p = dir.getParent(); p != null; p = p.getParent()) {
      try {
        if (!Files.getPosixFilePermissions(p).contains(
            java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
          return p + " is mode " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        }
      } catch (IOException e) {
        return p + " cannot be read (" + e.getMessage() + ")";
      }
    }
    return "a directory on the way is not searchable by that user";
  }
}
