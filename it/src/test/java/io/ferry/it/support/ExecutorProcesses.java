package io.ferry.it.support;

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

  /** Live executor JVMs on this machine whose command line names {@code marker} (e.g. a work directory). */
  public static List<ProcessHandle> anywhere(String marker) {
    return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).filter(ExecutorProcesses::isExecutor)
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false)).toList();
  }
}
