package io.ferry.mesos.local.master;

import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * The open SUBSCRIBE response of one framework: the HTTP layer writes each event as a RecordIO
 * record in the content type the framework asked for. Safe to call from the master's thread; a
 * send after the stream closed is dropped.
 */
interface FrameworkStream {

  void send(Event event);

  /** Ends the response (and, as Mesos does, the connection). */
  void close();
}
