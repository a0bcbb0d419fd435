package io.ferry.mesos.local.fetcher;

import io.ferry.mesos.local.fetcher.internal.ReasonText;
import io.ferry.mesos.local.fetcher.internal.UriText;
import java.util.Optional;

/**
 * A fetch failed. The message is one paragraph for a person reading a task's status: it names the
 * URI (credentials and query strings redacted), says what went wrong and what to check. An agent
 * puts it in {@code TASK_FAILED}'s message with {@code REASON_CONTAINER_LAUNCH_FAILED}; the same
 * text ends the fetch log in the sandbox's {@code stderr}. It is always one line of at most
 * {@value #MAX_MESSAGE} characters: the URI is cut at {@value #MAX_URI}, control characters are
 * escaped, and the parts of a reason that come from a peer or an archive are quoted with
 * {@link ReasonText#quote}.
 *
 * <pre>{@code
 * try {
 *   fetcher.fetch(uris, sandbox, user, stderr);
 * } catch (FetchException e) {
 *   failTask(REASON_CONTAINER_LAUNCH_FAILED, e.getMessage());
 * }
 * }</pre>
 */
public final class FetchException extends Exception {

  /** How much of the (redacted) URI a message shows. */
  public static final int MAX_URI = 200;
  /** The longest message: a reason is read by a person, in a task's status. */
  public static final int MAX_MESSAGE = 1000;

  private final String uri;
  private final String reason;

  /**
   * @param uri the URI as given (it is redacted for the message), or null when the failure is
   *     not about one URI
   * @param reason what went wrong and what to check next
   */
  public FetchException(String uri, String reason) {
    this(uri, reason, null);
  }

  public FetchException(String uri, String reason, Throwable cause) {
    super(message(uri, reason), cause);
    this.uri = uri;
    this.reason = reason;
  }

  private static String message(String uri, String reason) {
    String text = uri == null ? "Failed to fetch: " + reason
        : "Failed to fetch '" + ReasonText.quote(UriText.redact(uri), MAX_URI) + "': " + reason;
    return ReasonText.line(text, MAX_MESSAGE);
  }

  /** The URI that failed, as the task gave it; empty when the failure is about no single URI. */
  public Optional<String> uri() {
    return Optional.ofNullable(uri);
  }

  /** The reason alone, without the URI. */
  public String reason() {
    return reason;
  }
}
