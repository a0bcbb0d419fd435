package io.ferry.packager.hadoop;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/** One in-process run of the shim: its exit status and what it printed on stdout and stderr. */
record ShimRun(int exit, String out, String err) {

  static ShimRun of(HadoopShim shim, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      int exit = shim.run(args, o, e);
      return new ShimRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
  }

  // slf4j-simple's layout: "[thread] LEVEL logger - message"; thread names may hold brackets.
  private static final Pattern LOG_LINE =
      Pattern.compile("^\\[.*\\] (TRACE|DEBUG|INFO|WARN|ERROR) \\S+ - .*");

  /**
   * The shim's stderr without log lines. While a command runs, System.err is the capture stream,
   * so a MiniDFSCluster in the same JVM logs into it too.
   */
  List<String> messages() {
    return err.lines().filter(line -> !LOG_LINE.matcher(line).matches()).toList();
  }

  /** For assertion messages. */
  String describe() {
    return "exit=" + exit + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
  }
}
