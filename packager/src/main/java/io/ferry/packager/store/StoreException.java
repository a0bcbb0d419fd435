package io.ferry.packager.store;

import java.io.IOException;
import java.net.URI;
import java.util.Objects;

/**
 * A failure at a storage boundary (local file system, HDFS, S3, HTTP). The message is one line
 * for a user: what was attempted, on which URI, what went wrong and what to check next. It never
 * contains a secret.
 */
public final class StoreException extends IOException {

  /** What kind of failure this is; it decides retries and the CLI's exit code. */
  public enum Kind {
    /** The object or local file does not exist. */
    NOT_FOUND(false),
    /** The target object exists and overwriting was not asked for. */
    ALREADY_EXISTS(false),
    /** Credentials were missing, wrong or not allowed to do this. */
    AUTH(false),
    /** The host could not be resolved or reached. Retried: it may be a passing outage. */
    UNREACHABLE(true),
    /** The target ran out of space or quota. */
    NO_SPACE(false),
    /** A passing failure: HTTP 5xx, a reset connection, a timeout. Retried. */
    TRANSIENT(true),
    /** The request was refused as invalid (HTTP 4xx other than auth and not-found). */
    REJECTED(false),
    /** The object does not match its checksum or expected size. */
    CORRUPT(false),
    /** The URI itself is wrong: unknown scheme, missing bucket or path. */
    BAD_URI(false);

    private final boolean retryable;

    Kind(boolean retryable) {
      this.retryable = retryable;
    }

    public boolean retryable() {
      return retryable;
    }
  }

  private final Kind kind;
  private final String operation;
  private final URI uri;

  public StoreException(Kind kind, String operation, URI uri, String detail) {
    this(kind, operation, uri, detail, null);
  }

  public StoreException(Kind kind, String operation, URI uri, String detail, Throwable cause) {
    super(operation + " " + Redaction.uri(uri) + ": " + detail, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.operation = operation;
    this.uri = uri;
  }

  public Kind kind() {
    return kind;
  }

  public String operation() {
    return operation;
  }

  public URI uri() {
    return uri;
  }

  public boolean retryable() {
    return kind.retryable();
  }
}
