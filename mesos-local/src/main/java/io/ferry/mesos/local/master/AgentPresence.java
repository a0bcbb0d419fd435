package io.ferry.mesos.local.master;

/**
 * How the master knows an agent, which decides the answer to reconciling a task it does not know
 * (the digest's RECONCILE table).
 */
enum AgentPresence {
  /** Known from the registry but not yet reregistered after a master failover: no answer. */
  RECOVERING,
  /** Registered and connected. */
  REGISTERED,
  /** Partitioned away (missed health checks); may come back. */
  UNREACHABLE,
  /** Marked gone by an operator. */
  GONE,
  /** Never seen, or no agent given. */
  UNKNOWN
}
