package io.ferry.mesos.local.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A container's processes as Mesos's POSIX launcher keeps them: the executor is started as the
 * leader of a new session ({@code setsid}, Mesos's {@code ChildHook::SETSID}), and destroying the
 * container kills that whole session and the executor's descendants
 * ({@code os::killtree(pid, SIGKILL, groups, sessions)}). So a process the executor started and
 * left behind (reparented once its parent exited) dies with the container too.
 */
final class ContainerSession {

  /** {@code setsid(1)}, if this host has it; without it only the process tree can be killed. */
  static final Optional<String> SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid")
      .filter(p -> Files.isExecutable(Path.of(p))).findFirst();

  private ContainerSession() {}

  /** {@code argv} run as the leader of a new session (same pid: setsid(1) forks only for a group leader). */
  static List<String> leading(List<String> argv) {
    if (SETSID.isEmpty()) {
      return argv;
    }
    List<String> wrapped = new ArrayList<>(argv.size() + 1);
    wrapped.add(SETSID.get());
    wrapped.addAll(argv);
    return wrapped;
  }

  /** SIGKILL to every process of session {@code sessionId} (Linux {@code /proc}; elsewhere nothing). */
  static void killSession(long sessionId) {
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      all.filter(p -> session(p.pid()) == sessionId).forEach(ProcessHandle::destroyForcibly);
    }
  }

  /** The session of {@code pid} from {@code /proc/<pid>/stat}, or -1 when it cannot be read. */
  static long session(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
      // "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses.
      String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(after[3]);
    } catch (IOException | RuntimeException gone) {
      return -1;
    }
  }
}
