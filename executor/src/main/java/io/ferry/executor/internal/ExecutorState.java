package io.ferry.executor.internal;

/**
 * The executor's lifecycle. It moves forward only, except between {@link #SUBSCRIBED} and
 * {@link #RECONNECTING}; every transition is a compare-and-set on the core thread.
 *
 * <pre>
 * NEW ─► SUBSCRIBING ─► SUBSCRIBED ◄──► RECONNECTING          (checkpointing: agent restarts)
 *             │               │               │
 *             └───────────────┴───────┬───────┘
 *                                     ▼
 *                               SHUTTING_DOWN ─► TERMINATED
 * </pre>
 */
public enum ExecutorState {
  /** Built; {@code start()} not called yet. Starting twice fails. */
  NEW,
  /** The first SUBSCRIBE is under way (retried while the agent is unreachable or answers 503/404). */
  SUBSCRIBING,
  /** The event stream is open: LAUNCH, KILL, ACKNOWLEDGED and SHUTDOWN arrive; updates are sent. */
  SUBSCRIBED,
  /** The stream was lost with checkpointing on: resubscribing with backoff until the recovery timeout. */
  RECONNECTING,
  /**
   * Going away (SHUTDOWN, the driver lost, a fatal agent answer): tasks are being killed and their
   * terminal updates sent; waiting for their acknowledgements, at most until the failsafe.
   */
  SHUTTING_DOWN,
  /** Done: the exit code is decided and the process ends. */
  TERMINATED
}
