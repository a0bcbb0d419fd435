package io.ferry.mesos.http;

/** Mirrors the listener queue's high-water mark, which is internal, for the back-pressure test. */
final class ListenerQueueLimits {
  static final int HIGH_WATER = 256;

  private ListenerQueueLimits() {}
}
