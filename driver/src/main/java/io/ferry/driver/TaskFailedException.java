package io.ferry.driver;

import java.util.Optional;

/**
 * A task failed on every attempt it was allowed ({@code ferry.task.maxFailures}); the message
 * names the task, the attempts and the last cause, and {@link #remoteStackTrace()} has the
 * executor's stack trace of the last failure when there was one. {@link #executorId()} and
 * {@link #agentId()} say where the last attempt ran: its executor's sandbox holds the full log.
 */
public final class TaskFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final long taskId;
  private final String remoteStackTrace;
  private final String executorId;
  private final String agentId;

  public TaskFailedException(long taskId, String message, String remoteStackTrace) {
    this(taskId, message, remoteStackTrace, null, null);
  }

  /** As above, for a failure whose last attempt ran on {@code executorId} on {@code agentId}. */
  public TaskFailedException(long taskId, String message, String remoteStackTrace, String executorId, String agentId) {
    super(message);
    this.taskId = taskId;
    this.remoteStackTrace = remoteStackTrace == null ? "" : remoteStackTrace;
    this.executorId = executorId == null || executorId.isEmpty() ? null : executorId;
    this.agentId = agentId == null || agentId.isEmpty() ? null : agentId;
  }

  public long taskId() {
    return taskId;
  }

  public String remoteStackTrace() {
    return remoteStackTrace;
  }

  /** The executor the last attempt ran on, if it reached one. */
  public Optional<String> executorId() {
    return Optional.ofNullable(executorId);
  }

  /** The agent the last attempt ran on, if it reached one. */
  public Optional<String> agentId() {
    return Optional.ofNullable(agentId);
  }

  /**
   * The same failure thrown again on the calling thread with {@code more} after its message: its
   * stack trace is the caller's (the one the scheduler made is of a callback thread, which says
   * nothing about where the application waited), so a REPL or a log shows where it came from.
   */
  TaskFailedException rethrownHere(String more) {
    TaskFailedException here = new TaskFailedException(taskId, getMessage() + more, remoteStackTrace, executorId, agentId);
    StackTraceElement[] trace = here.getStackTrace();
    if (trace.length > 1) {
      here.setStackTrace(java.util.Arrays.copyOfRange(trace, 1, trace.length)); // from the caller of this method
    }
    return here;
  }
}
