package io.ferry.mesos.http.internal;

import io.ferry.mesos.http.MesosException;
import java.time.Duration;

/** What to do after a response, as {@link ResponseTriage} decides it. */
sealed interface NextStep {

  /** 200 or 202: hand the response to the caller. */
  record Succeed() implements NextStep {}

  /** 307: send the same call again to {@code target}, which becomes the client's endpoint. */
  record Redirect(HttpTarget target) implements NextStep {}

  /** 503 within the retry policy: send it again after {@code delay}. */
  record Retry(Duration delay) implements NextStep {}

  /** Anything else: the call failed. */
  record Fail(MesosException error) implements NextStep {}
}
