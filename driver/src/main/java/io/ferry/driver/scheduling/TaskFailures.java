package io.ferry.driver.scheduling;

import java.io.PrintWriter;
import java.io.StringWriter;

/** How a task's exception is reported: one line for Mesos and the driver, the trace for logs. */
public final class TaskFailures {
  private TaskFailures() {}

  /** {@code ExceptionClass: message}, with the root cause's if different, on one line, bounded. */
  public static String oneLine(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String line = describe(t) + (root != t ? " (caused by " + describe(root) + ")" : "");
    line = line.replace('\n', ' ').replace('\r', ' ');
    return line.length() > 500 ? line.substring(0, 497) + "..." : line;
  }

  public static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  private static String describe(Throwable t) {
    return t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }
}
