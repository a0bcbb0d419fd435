package io.ferry.driver.mesos;

/** The scheduler link stopped: why, and what to check next (the same line the listener's {@code error} got). */
public final class SchedulerLinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SchedulerLinkException(String message) {
    super(message);
  }

  public SchedulerLinkException(String message, Throwable cause) {
    super(message, cause);
  }
}
