package io.ferry.mesos.local.user;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a command as another user, as Mesos's launcher does with {@code os::su} before it execs
 * an executor or the fetcher. A JVM cannot drop privileges for one child, so the command is
 * prefixed with util-linux's {@code setpriv --reuid=U --regid=G --init-groups --}: the child
 * starts as root (in the directory and with the redirections the agent set up) and becomes the
 * user, with the user's supplementary groups, before it execs the command. The process id stays
 * the same, so signals reach the command itself.
 */
public final class UserSwitch {

  private static final List<Path> SEARCH = List.of(Path.of("/usr/bin/setpriv"),
      Path.of("/bin/setpriv"), Path.of("/usr/sbin/setpriv"), Path.of("/sbin/setpriv"));

  private final Path setpriv;

  private UserSwitch(Path setpriv) {
    this.setpriv = setpriv;
  }

  /**
   * Finds {@code setpriv}.
   *
   * @throws IOException naming what to install when it is missing
   */
  public static UserSwitch locate() throws IOException {
    for (Path candidate : SEARCH) {
      if (Files.isExecutable(candidate)) {
        return new UserSwitch(candidate);
      }
    }
    throw new IOException("setpriv (util-linux) is not installed, so the agent cannot switch to"
        + " the task's user; install util-linux, or turn the agent's switch_user off to run"
        + " tasks as the agent's user");
  }

  /** {@code argv} run as {@code account}. */
  public List<String> command(UnixAccount account, List<String> argv) {
    List<String> wrapped = new ArrayList<>(argv.size() + 5);
    wrapped.add(setpriv.toString());
    wrapped.add("--reuid=" + account.uid());
    wrapped.add("--regid=" + account.gid());
    wrapped.add("--init-groups");
    wrapped.add("--");
    wrapped.addAll(argv);
    return wrapped;
  }
}
