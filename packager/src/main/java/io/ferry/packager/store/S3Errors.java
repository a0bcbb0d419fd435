package io.ferry.packager.store;

import io.ferry.packager.store.StoreException.Kind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns AWS SDK failures into {@link StoreException}s: the one place that decides which S3 errors
 * are retried ({@link Kind#retryable()}) and what the user is told to check. Messages are built
 * from S3's error code and message and never from the SDK's own text beyond that, so they carry
 * no credentials.
 */
final class S3Errors {

  static final String CREDENTIALS_HINT =
      "check the access key and secret (flags --s3-access-key / FERRY_S3_SECRET_KEY, or the AWS"
          + " credential chain)";

  private static final Set<String> AUTH_CODES = Set.of("InvalidAccessKeyId",
      "SignatureDoesNotMatch", "AccessDenied", "InvalidToken", "ExpiredToken", "TokenRefreshRequired",
      "InvalidSecurity", "AllAccessDisabled", "AccountProblem");

  // QuotaExceeded is Ceph RGW's (HTTP 403), XMinio* are MinIO's, 507 is plain HTTP.
  private static final Set<String> NO_SPACE_CODES = Set.of("EntityTooLarge", "QuotaExceeded",
      "XMinioStorageFull", "XMinioAdminBucketQuotaExceeded", "InsufficientStorage");

  private static final Set<String> TRANSIENT_CODES = Set.of("SlowDown", "RequestTimeout",
      "InternalError", "ServiceUnavailable", "Throttling", "ThrottlingException",
      "RequestLimitExceeded", "TooManyRequests", "OperationAborted");

  private final String endpoint;

  /** {@code endpoint} is the override, if any; it is only used to name the server in messages. */
  S3Errors(Optional<URI> endpoint) {
    this.endpoint = endpoint.map(Redaction::uri).orElse("the AWS S3 endpoint");
  }

  /** The endpoint as named in messages. */
  String endpoint() {
    return endpoint;
  }

  StoreException classify(String operation, URI uri, S3Location location, SdkException e) {
    if (e instanceof AwsServiceException service) {
      return classifyService(operation, uri, location, service);
    }
    return classifyClient(operation, uri, e);
  }

  private StoreException classifyService(
      String operation, URI uri, S3Location location, AwsServiceException e) {
    int status = e.statusCode();
    AwsErrorDetails details = e.awsErrorDetails();
    String code = details == null || details.errorCode() == null ? "" : details.errorCode();
    String message = details == null || details.errorMessage() == null ? "" : details.errorMessage();
    String what = describe(status, code, message, e.requestId());

    if (code.equals("NoSuchBucket")) {
      return noSuchBucket(operation, uri, location, e);
    }
    // Before the 403 and 5xx rules: RGW reports a full quota as 403 and MinIO a full disk as 507.
    if (NO_SPACE_CODES.contains(code) || status == 507) {
      String hint = code.equals("EntityTooLarge")
          ? "the store refused the size; lower the multipart threshold or part size"
          : "no space or quota left; free space or raise the bucket's quota";
      return new StoreException(Kind.NO_SPACE, operation, uri, hint + " (" + what + ")", e);
    }
    if (code.equals("RequestTimeTooSkewed")) {
      return new StoreException(Kind.AUTH, operation, uri,
          "the local clock differs too much from the server's (" + what + "); fix the clock (NTP)", e);
    }
    if (status == 401 || status == 403 || AUTH_CODES.contains(code)) {
      return new StoreException(Kind.AUTH, operation, uri,
          "access denied (" + what + "); " + CREDENTIALS_HINT, e);
    }
    if (code.equals("NoSuchUpload")) {
      return new StoreException(Kind.NOT_FOUND, operation, uri,
          "the multipart upload is gone; someone aborted it or a lifecycle rule expired it (" + what
              + ")", e);
    }
    if (code.equals("NoSuchKey") || status == 404) {
      return new StoreException(Kind.NOT_FOUND, operation, uri, "no such object (" + what + ")", e);
    }
    if (status >= 500 || status == 429 || TRANSIENT_CODES.contains(code)) {
      return new StoreException(Kind.TRANSIENT, operation, uri,
          "the S3 server failed (" + what + ")", e);
    }
    String hint = code.equals("AuthorizationHeaderMalformed") || code.equals("PermanentRedirect")
        || status == 301 ? "; check the region (--s3-region) and the endpoint" : "";
    return new StoreException(Kind.REJECTED, operation, uri, "S3 refused the request (" + what
        + ")" + hint, e);
  }

  private StoreException classifyClient(String operation, URI uri, SdkException e) {
    if (e instanceof AbortedException || has(e, InterruptedException.class)
        || (has(e, InterruptedIOException.class) && !has(e, SocketTimeoutException.class))) {
      return interrupted(operation, uri, e);
    }
    String text = String.valueOf(e.getMessage());
    if (text.contains("different checksum than expected")) {
      return new StoreException(Kind.CORRUPT, operation, uri,
          "the data read does not match S3's checksum of the object; read it again, and if it"
              + " persists, upload it again", e);
    }
    if (text.contains("Unable to load credentials")) {
      return new StoreException(Kind.AUTH, operation, uri, "no S3 credentials found; set"
          + " --s3-access-key and FERRY_S3_SECRET_KEY, or configure the AWS credential chain"
          + " (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, ~/.aws/credentials, an instance role)", e);
    }
    Optional<UnknownHostException> unknownHost = find(e, UnknownHostException.class);
    if (unknownHost.isPresent()) {
      return new StoreException(Kind.UNREACHABLE, operation, uri, "unknown host "
          + unknownHost.get().getMessage() + "; check the S3 endpoint " + endpoint, e);
    }
    if (has(e, ConnectException.class) || has(e, NoRouteToHostException.class)) {
      return new StoreException(Kind.UNREACHABLE, operation, uri, "cannot connect to " + endpoint
          + "; check that the S3 server is running and the endpoint (--s3-endpoint) is right", e);
    }
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException
        || has(e, SocketTimeoutException.class)) {
      return new StoreException(Kind.TRANSIENT, operation, uri,
          "timed out talking to " + endpoint, e);
    }
    if (has(e, SSLException.class)) {
      return new StoreException(Kind.REJECTED, operation, uri, "TLS with " + endpoint
          + " failed (" + firstLine(find(e, SSLException.class).get()) + "); check the endpoint's"
          + " scheme and certificate (AWS_CA_BUNDLE)", e);
    }
    Optional<IOException> io = find(e, IOException.class);
    if (io.isPresent()) {
      // Resets, broken pipes, early EOFs: the connection failed mid-request.
      return new StoreException(Kind.TRANSIENT, operation, uri,
          "the connection to " + endpoint + " failed (" + firstLine(io.get()) + ")", e);
    }
    return new StoreException(Kind.REJECTED, operation, uri, firstLine(e), e);
  }

  StoreException noSuchBucket(String operation, URI uri, S3Location location, Exception cause) {
    return new StoreException(Kind.NOT_FOUND, operation, uri, "bucket '" + location.bucket()
        + "' does not exist at " + endpoint + "; check the bucket name", cause);
  }

  static StoreException interrupted(String operation, URI uri, Throwable cause) {
    Thread.currentThread().interrupt();
    return new StoreException(Kind.REJECTED, operation, uri, "interrupted", cause);
  }

  private static String describe(int status, String code, String message, String requestId) {
    StringBuilder out = new StringBuilder("HTTP ").append(status);
    if (!code.isEmpty()) {
      out.append(' ').append(code);
    }
    if (!message.isEmpty()) {
      out.append(": ").append(message);
    }
    if (requestId != null && !requestId.isEmpty()) {
      out.append(", request id ").append(requestId);
    }
    return out.toString();
  }

  private static boolean has(Throwable e, Class<? extends Throwable> type) {
    return find(e, type).isPresent();
  }

  private static <T extends Throwable> Optional<T> find(Throwable e, Class<T> type) {
    // Bounded: some libraries build cause cycles.
    Throwable t = e;
    for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
      if (type.isInstance(t)) {
        return Optional.of(type.cast(t));
      }
    }
    return Optional.empty();
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
