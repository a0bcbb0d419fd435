package io.ferry.mesos.local.agent;

/**
 * The life of an executor on an agent, as Mesos's agent tracks it.
 *
 * <pre>
 *   REGISTERING --SUBSCRIBE--> RUNNING --SHUTDOWN / kill of last task--> TERMINATING --exit--> TERMINATED
 *        \------------------------ exit or registration timeout -------------------------/
 * </pre>
 */
public enum ExecutorState {
  /** Started (or being fetched), not yet subscribed; tasks are queued. */
  REGISTERING,
  /** Subscribed; tasks are delivered as they arrive. */
  RUNNING,
  /** Told to shut down; KILLs are ignored and new tasks are dropped. */
  TERMINATING,
  /** The process has exited. */
  TERMINATED
}
