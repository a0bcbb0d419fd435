package io.ferry.packager.store;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds the AWS SDK S3 client from {@link S3Options}: the URL-connection HTTP client (the only
 * one on the class path, to keep the distribution small), static or chained credentials, the
 * region, and settings that S3-compatible stores need.
 */
final class S3Clients {

  private static final Logger LOG = LoggerFactory.getLogger(S3Clients.class);

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** Longest silence on a connection; a part upload is many short writes, not one long one. */
  private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

  private S3Clients() {}

  /** Static credentials when the options carry keys, otherwise the SDK's default chain. */
  static AwsCredentialsProvider credentials(S3Options options) {
    if (options.accessKey().isEmpty()) {
      return DefaultCredentialsProvider.builder().build();
    }
    String accessKey = options.accessKey().get();
    String secretKey = options.secretKey().orElseThrow();
    AwsCredentials credentials = options.sessionToken()
        .<AwsCredentials>map(token -> AwsSessionCredentials.create(accessKey, secretKey, token))
        .orElseGet(() -> AwsBasicCredentials.create(accessKey, secretKey));
    return StaticCredentialsProvider.create(credentials);
  }

  /** The HTTP client for one store; the caller closes it after the S3 client. */
  static SdkHttpClient httpClient() {
    return new DisconnectingHttpClient(UrlConnectionHttpClient.builder()
        .connectionTimeout(CONNECT_TIMEOUT)
        .socketTimeout(SOCKET_TIMEOUT)
        .build());
  }

  static S3Client create(S3Options options, AwsCredentialsProvider credentials,
      SdkHttpClient httpClient) {
    S3ClientBuilder builder = S3Client.builder()
        .httpClient(httpClient)
        .region(region(options))
        .credentialsProvider(credentials)
        .forcePathStyle(options.pathStyle())
        // RetryPolicy is the one place that retries (per part, with a fresh body each time, and
        // only for the kinds S3Errors marks retryable); SDK retries under it would multiply.
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
    options.endpoint().ifPresent(endpoint -> builder
        .endpointOverride(endpoint)
        // S3 clones lag the SDK's default checksums: S3Proxy 2.6 fails uploads with a trailing CRC
        // (400 XAmzContentSHA256Mismatch) and GETs with x-amz-checksum-mode (501 NotImplemented).
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED));
    return builder.build();
  }

  /** The configured region, else the SDK's chain, else us-east-1 (what most S3 clones accept). */
  static Region region(S3Options options) {
    if (options.region().isPresent()) {
      return Region.of(options.region().get());
    }
    try {
      Region region = new DefaultAwsRegionProviderChain().getRegion();
      if (region != null) {
        return region;
      }
    } catch (SdkClientException e) {
      LOG.debug("No region from the AWS region chain ({}); using us-east-1", e.getMessage());
    }
    return Region.US_EAST_1;
  }
}
