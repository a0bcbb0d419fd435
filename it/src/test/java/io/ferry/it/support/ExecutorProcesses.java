package io.ferry.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Ferry executor processes (the real {@code bin/ferry-executor} JVMs), found by process tree. */
public final class ExecutorProcesses {
  private static final String MAIN = "io.ferry.executor.FerryExecutor";

  private ExecutorProcesses() {}

  /** Live executor JVMs under {@code root} (e.g. this JVM, whose mesos-local agents start them). */
  public static List<ProcessHandle> under(ProcessHandle root) {
    return root.descendants().filter(ProcessHandle::isAlive).filter(ExecutorProcesses::isExecutor).toList();
  }

  public static boolean isExecutor(ProcessHandle p) {
    return p.info().arguments().map(args -> List.of(args).contains(MAIN)).orElse(false)
        || p.info().commandLine().map(c -> c.contains(MAIN)).orElse(false);
  }

  /**
   * Live executor JVMs on this machine that belong under {@code marker} (e.g. a work directory): its
   * command line names it, or its working directory is inside it. The launcher runs from its
   * sandbox with a class path relative to it (class data sharing needs one), so the working
   * directory is what names the sandbox.
   */
  public static List<ProcessHandle> anywhere(String marker) {
    return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).filter(ExecutorProcesses::isExecutor)
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false) || runsInside(p, marker))
        .toList();
  }

  private static boolean runsInside(ProcessHandle p, String marker) {
    try {
      Path cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd"));
      Path root = Path.of(marker);
      return cwd.startsWith(root) || (Files.exists(root) && cwd.startsWith(root.toRealPath()));
    } catch (IOException | UnsupportedOperationException e) {
      return false; // gone meanwhile, or not ours to read
    }
  }
}
