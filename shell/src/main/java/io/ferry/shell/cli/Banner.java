package io.ferry.shell.cli;

import io.ferry.driver.FerryConf;
import io.ferry.driver.FerryContext;
import io.ferry.driver.MasterUrl;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the shell says before its first prompt (on stderr, as {@code ferry-submit}'s console lines,
 * so a script's stdout stays the snippets'): the master in use, the framework's ID, where executors
 * come from, the Mesos web UI, and how to read the executors' own logs (their sandboxes' stdout and
 * stderr, where a failing task's full stack trace is).
 */
final class Banner {
  static final String PREFIX = "[ferry] ";

  private Banner() {}

  static List<String> lines(FerryContext ferry) {
    FerryConf conf = ferry.conf();
    List<String> lines = new ArrayList<>();
    lines.add("Ferry shell: 'ferry' is a ready FerryContext, e.g. ferry.runAll(List.of(ctx -> 6 * 7)); /exit or Ctrl-D closes it");
    String given = conf.master().toString();
    lines.add("master: " + ferry.master() + (given.equals(ferry.master()) ? "" : " (" + given + ")"));
    if (conf.master() instanceof MasterUrl.Local) {
      lines.add("tasks run on threads of this JVM: no Mesos, no executors");
      return prefixed(lines);
    }
    lines.add("framework: " + ferry.frameworkId().orElse("(not registered)"));
    lines.add("executor: " + conf.mesosExecutorDockerImage().map(image -> "Docker image " + image)
        .orElse(conf.executorUri().orElse("(ferry.executor.uri not set)")));
    Optional<String> ui = ferry.webUi();
    ui.ifPresent(u -> lines.add("Mesos web UI: " + u));
    lines.add("executors' logs: " + sandboxHint(ui, ferry.frameworkId()));
    return prefixed(lines);
  }

  /**
   * Where an executor's stdout and stderr are: Mesos keeps them in the executor's sandbox, linked
   * from each task on the web UI's framework page and readable from the agent's files endpoint.
   */
  static String sandboxHint(Optional<String> ui, Optional<String> frameworkId) {
    String page = ui.isPresent() && frameworkId.isPresent()
        ? ui.get() + "#/frameworks/" + frameworkId.get()
        : "the web UI's framework page";
    return "the stdout/stderr links of each task on " + page
        + " (the sandbox; also the agent's /files/read?path=<sandbox>/stderr)";
  }

  private static List<String> prefixed(List<String> lines) {
    return lines.stream().map(l -> PREFIX + l).toList();
  }
}
