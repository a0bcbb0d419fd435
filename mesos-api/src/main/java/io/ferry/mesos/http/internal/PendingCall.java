package io.ferry.mesos.http.internal;

import io.ferry.mesos.http.MesosResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/** One non-SUBSCRIBE call waiting in, or going through, the {@link CallSequencer}. */
public final class PendingCall {
  final String callType;
  /** Encoded once; every retry and redirect resends the same bytes. */
  final byte[] body;
  final CompletableFuture<MesosResponse> future = new CompletableFuture<>();

  // Touched only on the sequencer's event loop.
  HttpTarget target;
  int retries;
  int redirects;
  /** Sent or connecting, so a connection failure now is this call's failure. */
  boolean inFlight;
  ScheduledFuture<?> timeout;

  public PendingCall(String callType, byte[] body) {
    this.callType = callType;
    this.body = body;
  }

  public CompletableFuture<MesosResponse> future() {
    return future;
  }

  void cancelTimeout() {
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null;
    }
  }
}
