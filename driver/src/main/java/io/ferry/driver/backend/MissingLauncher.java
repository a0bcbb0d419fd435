package io.ferry.driver.backend;

/**
 * The job's error when an agent reports that the executor archive has no launcher (the command's
 * {@link ExecutorSpec#NO_LAUNCHER_EXIT_STATUS}): one line naming the URI (or the installed home), the
 * path expected in it, and where the agent said what it found instead.
 */
final class MissingLauncher {
  private MissingLauncher() {}

  static String message(ExecutorSpec spec, String agentId) {
    if (spec.home().isPresent()) {
      return "ferry.mesos.executor.home " + spec.home().get() + " holds no bin/ferry-executor on agent " + agentId
          + ": no Ferry distribution is installed there (its sandbox's stderr lists what the directory holds)."
          + " Install the same ferry-<version>-bin at that path on every agent, or set ferry.executor.uri to an"
          + " archive agents fetch instead";
    }
    return "the executor archive " + spec.executorUri() + " has no " + spec.launcher() + ": it is not a Ferry"
        + " distribution archive, or its top directory is not named " + spec.directory() + "/ after the file"
        + " (agent " + agentId + " found no launcher; its sandbox's stderr lists what the archive unpacked to)."
        + " Check ferry.executor.uri: publish the ferry-<version>-bin.tgz that make-distribution.sh --tgz writes,"
        + " under its own name";
  }
}
