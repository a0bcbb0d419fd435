package io.ferry.driver.backend;

/**
 * The job's error when an agent reports that the executor archive has no launcher (the command's
 * {@link ExecutorSpec#NO_LAUNCHER_EXIT_STATUS}): one line naming the URI, the path expected in
 * it, and where the agent said what it found instead.
 */
final class MissingLauncher {
  private MissingLauncher() {}

  static String message(ExecutorSpec spec, String agentId) {
    return "the executor archive " + spec.executorUri() + " has no " + spec.launcher() + ": it is not a Ferry"
        + " distribution archive, or its top directory is not named " + spec.directory() + "/ after the file"
        + " (agent " + agentId + " found no launcher; its sandbox's stderr lists what the archive unpacked to)."
        + " Check ferry.executor.uri: publish the ferry-<version>-bin.tgz that make-distribution.sh --tgz writes,"
        + " under its own name";
  }
}
