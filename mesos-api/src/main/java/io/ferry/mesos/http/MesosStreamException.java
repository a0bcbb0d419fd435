package io.ferry.mesos.http;

import java.net.URI;

/**
 * An open SUBSCRIBE stream ended without our asking; given to {@link EventListener#onClosed}.
 * {@link #reason()} says how, {@link #getCause()} carries the underlying error if any (e.g. a
 * {@link io.ferry.mesos.recordio.RecordIoException}).
 */
public class MesosStreamException extends MesosException {
  private static final long serialVersionUID = 1L;

  /** How a stream ended. */
  public enum Reason {
    /** The server sent the end of the chunked body (Mesos does so after an ERROR or TEARDOWN). */
    ENDED_BY_SERVER,
    /** The connection closed or failed in the middle of the stream. */
    CONNECTION_LOST,
    /** Nothing arrived within the idle timeout (e.g. missed heartbeats). */
    IDLE_TIMEOUT,
    /** The bytes were not valid RecordIO, or a record was not a valid Event. */
    MALFORMED_STREAM
  }

  private final Reason reason;

  public MesosStreamException(String message, Reason reason, String callType, URI url, Throwable cause) {
    super(message, callType, url, 200, "", cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
