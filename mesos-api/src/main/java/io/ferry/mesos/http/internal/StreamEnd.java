package io.ferry.mesos.http.internal;

/** A user event: the server sent the last chunk of a 200 stream. */
enum StreamEnd {
  INSTANCE
}
