package io.ferry.driver.internal;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where an executor's full log is: Mesos keeps its stdout and stderr in the executor's sandbox on
 * its agent, and the master's web UI links to it. Real Mesos's UI (1.x) routes
 * {@code #/agents/<agent>/frameworks/<framework>/executors/<executor>/browse} to the sandbox;
 * {@code local-cluster}'s embedded mesos-local tails a sandbox file at
 * {@code #/sandbox/<agent>/<framework>/<executor>/stderr}.
 */
public final class ExecutorLogs {
  private ExecutorLogs() {}

  /**
   * A link to the executor's sandbox (its stderr where the UI can show one file), or empty when
   * something is unknown (no web UI, not registered, the task never reached an executor).
   */
  public static Optional<String> link(Optional<String> webUi, Optional<String> frameworkId, boolean embedded,
      Optional<String> executorId, Optional<String> agentId) {
    if (webUi.isEmpty() || frameworkId.isEmpty() || executorId.isEmpty() || agentId.isEmpty()) {
      return Optional.empty();
    }
    String agent = encode(agentId.get());
    String framework = encode(frameworkId.get());
    String executor = encode(executorId.get());
    return Optional.of(webUi.get() + (embedded
        ? "#/sandbox/" + agent + "/" + framework + "/" + executor + "/stderr"
        : "#/agents/" + agent + "/frameworks/" + framework + "/executors/" + executor + "/browse"));
  }

  /** Percent-encodes all but RFC 3986's unreserved characters, as the UIs' encodeURIComponent reads back. */
  static String encode(String part) {
    StringBuilder out = new StringBuilder();
    for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return out.toString();
  }
}
