package io.ferry.mesos.local.master;

import io.ferry.mesos.ContentType;
import java.util.Map;

/** What an API gate decided about one HTTP request: answer it with an error, or pass the call on. */
sealed interface GateResult<C> {

  /** Answer with {@code status} and a plain-text {@code body}, plus any {@code headers}. */
  record Reject<C>(int status, String body, Map<String, String> headers) implements GateResult<C> {
    Reject(int status, String body) {
      this(status, body, Map.of());
    }
  }

  /**
   * Pass on a valid call. {@code streamType} is the type chosen for a SUBSCRIBE stream (null for
   * other calls).
   */
  record Pass<C>(C call, ContentType contentType, ContentType streamType) implements GateResult<C> {}
}
