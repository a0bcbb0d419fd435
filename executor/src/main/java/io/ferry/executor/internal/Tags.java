package io.ferry.executor.internal;

/**
 * The subject tag every log line starts with, {@code [executor=e-3 task=t-17]}, so a sandbox's
 * stderr can be grepped for one task (SLF4J's simple backend prints no MDC).
 */
public final class Tags {
  private Tags() {}

  public static String executor(String executorId) {
    return "[executor=" + executorId + "]";
  }

  public static String task(String executorId, String taskId) {
    return "[executor=" + executorId + " task=" + taskId + "]";
  }
}
