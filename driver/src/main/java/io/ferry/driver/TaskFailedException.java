package io.ferry.driver;

/**
 * A task failed on every attempt it was allowed ({@code ferry.task.maxFailures}); the message
 * names the task, the attempts and the last cause, and {@link #remoteStackTrace()} has the
 * executor's stack trace of the last failure when there was one.
 */
public final class TaskFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final long taskId;
  private final String remoteStackTrace;

  public TaskFailedException(long taskId, String message, String remoteStackTrace) {
    super(message);
    this.taskId = taskId;
    this.remoteStackTrace = remoteStackTrace == null ? "" : remoteStackTrace;
  }

  public long taskId() {
    return taskId;
  }

  public String remoteStackTrace() {
    return remoteStackTrace;
  }
}
