package io.ferry.packager.store;

import java.net.URI;
import java.util.Optional;

/**
 * How to reach an S3 API: AWS itself or an S3-compatible store (MinIO, Ceph RGW, S3Proxy).
 * Empty fields fall back to the AWS SDK's standard chains (environment, system properties,
 * {@code ~/.aws}, instance profile).
 *
 * @param endpoint endpoint override, e.g. {@code http://127.0.0.1:9000}
 * @param region region name; defaults to the SDK chain, then {@code us-east-1}
 * @param pathStyle path-style access ({@code host/bucket/key}), which most S3-compatible stores need
 * @param accessKey access key id; with {@code secretKey}, replaces the credential chain
 * @param secretKey secret access key; never printed
 * @param sessionToken optional session token for temporary credentials; never printed
 * @param multipartThreshold files at least this large are sent as a multipart upload
 * @param partSize size of each multipart part (S3's minimum is 5 MiB)
 */
public record S3Options(
    Optional<URI> endpoint,
    Optional<String> region,
    boolean pathStyle,
    Optional<String> accessKey,
    Optional<String> secretKey,
    Optional<String> sessionToken,
    long multipartThreshold,
    long partSize) {

  public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

  public static final S3Options DEFAULTS = new S3Options(Optional.empty(), Optional.empty(), false,
      Optional.empty(), Optional.empty(), Optional.empty(), 64L * 1024 * 1024, 16L * 1024 * 1024);

  public S3Options {
    if (partSize < MIN_PART_SIZE) {
      throw new IllegalArgumentException(
          "partSize: " + partSize + " (expected: >= " + MIN_PART_SIZE + ", S3's minimum part)");
    }
    if (multipartThreshold < partSize) {
      throw new IllegalArgumentException("multipartThreshold: " + multipartThreshold
          + " (expected: >= partSize " + partSize + ")");
    }
    if (accessKey.isPresent() != secretKey.isPresent()) {
      throw new IllegalArgumentException(
          "accessKey and secretKey: give both or neither (only one was set)");
    }
  }

  @Override
  public String toString() {
    return "S3Options[endpoint=" + endpoint.map(Object::toString).orElse("<aws>")
        + ", region=" + region.orElse("<chain>") + ", pathStyle=" + pathStyle
        + ", accessKey=" + accessKey.orElse("<chain>")
        + ", secretKey=" + secretKey.map(s -> Redaction.REDACTED).orElse("<chain>")
        + ", sessionToken=" + sessionToken.map(s -> Redaction.REDACTED).orElse("<none>")
        + ", multipartThreshold=" + multipartThreshold + ", partSize=" + partSize + "]";
  }
}
