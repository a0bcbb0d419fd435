package io.ferry.mesos.local.master;

/** An outstanding offer: single-use, for one framework and role, on one agent. */
record OfferRecord(String id, String frameworkId, String agentId, String role, Resources resources) {}
