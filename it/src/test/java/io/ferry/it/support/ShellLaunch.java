package io.ferry.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How the shell tests start {@code dist/bin/ferry-shell}: against {@code local-cluster[2,2,2048]}
 * (coarse mode) or {@code local-cluster[2,8,2048]} (fine mode, see {@link #FINE_MASTER})
 * with the distribution's archive as the executor URI, its {@code local-cluster} directory (the
 * executors' sandboxes, so their command lines) under {@code workDir}, JShell's preferences
 * (history) under the test's directory instead of the user's home, and no {@code FERRY_*} variable
 * of the machine's.
 */
public record ShellLaunch(Distribution dist, Path archive, Path workDir, List<String> args) {

  public static final String MASTER = "local-cluster[2,2,2048]";
  /**
   * Fine mode: every task is a Mesos task with a whole cpu next to its executor's, offered again
   * once per allocation interval (1 s, as Mesos's): on 2-cpu agents one task per agent per second,
   * 1,000 tasks in over 8 minutes. 8-cpu agents run 7 at a time each.
   */
  public static final String FINE_MASTER = "local-cluster[2,8,2048]";

  public static String master(boolean coarse) {
    return coarse ? MASTER : FINE_MASTER;
  }

  public static ShellLaunch of(Distribution dist, Path archive, Path workDir, boolean coarse, String... more) {
    List<String> args = new ArrayList<>(List.of("--master", master(coarse), "--executor-uri", archive.toString(),
        "--conf", "ferry.local.dir=" + workDir, "--conf", "ferry.mesos.coarse=" + coarse));
    args.addAll(List.of(more));
    return new ShellLaunch(dist, archive, workDir, args);
  }

  /** The variables the launcher gets (on top of the test's environment minus every {@code FERRY_*}). */
  public Map<String, String> environment() throws java.io.IOException {
    Path prefs = Files.createDirectories(workDir.resolveSibling(workDir.getFileName() + "-prefs"));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("FERRY_JAVA_OPTS", "-Djava.util.prefs.userRoot=" + prefs);
    return env;
  }

  public List<String> command() {
    List<String> command = new ArrayList<>(List.of(dist.bin("ferry-shell").toString()));
    command.addAll(args);
    return command;
  }

  /** The same as one {@code sh -c} line, for a terminal: {@code env -u FERRY_... K=V ... ferry-shell ...}. */
  public String shellLine() throws java.io.IOException {
    List<String> words = new ArrayList<>(List.of("env"));
    System.getenv().keySet().stream().filter(k -> k.startsWith("FERRY_")).sorted()
        .forEach(k -> words.addAll(List.of("-u", k)));
    environment().forEach((k, v) -> words.add(k + "=" + v));
    words.addAll(command());
    return words.stream().map(ShellLaunch::quoted).collect(Collectors.joining(" "));
  }

  /** A marker on every executor command line of this shell: its local-cluster directory. */
  public String executorMarker() {
    return workDir.toAbsolutePath().toString();
  }

  public static String quoted(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
