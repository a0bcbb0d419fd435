package io.ferry.packager.cli;

import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Flags shared by the commands that reach a store. Secrets never come from a flag's value, which
 * other users can read in the process list: they come from an environment variable or a file.
 * {@link StoresFromFlags} turns them into stores; this class holds only the flags, because picocli
 * reflects on every method of a mixin (and so loads the classes their signatures name) each time
 * any command starts.
 */
final class StoreFlags {

  @Option(names = "--s3-endpoint", paramLabel = "URL",
      description = "S3 API endpoint for S3-compatible stores, e.g. http://127.0.0.1:9000 (env FERRY_S3_ENDPOINT).")
  URI s3Endpoint;

  @Option(names = "--s3-region", paramLabel = "REGION",
      description = "S3 region (default: the AWS region chain, then us-east-1).")
  String s3Region;

  @Option(names = "--s3-path-style", description = "Path-style S3 requests (host/bucket/key), which most S3-compatible stores need.")
  boolean s3PathStyle;

  @Option(names = "--s3-access-key", paramLabel = "ID",
      description = "S3 access key id (env FERRY_S3_ACCESS_KEY); default: the AWS credential chain.")
  String s3AccessKey;

  @Option(names = "--s3-secret-key-file", paramLabel = "FILE",
      description = "File holding the S3 secret key (or env FERRY_S3_SECRET_KEY).")
  Path s3SecretKeyFile;

  @Option(names = "--s3-part-size", paramLabel = "BYTES", description = "Multipart part size in bytes (default: 16 MiB, min 5 MiB).")
  Long s3PartSize;

  @Option(names = "--http-user", paramLabel = "USER",
      description = "User for HTTP Basic auth; the password comes from --http-password-file or env FERRY_HTTP_PASSWORD.")
  String httpUser;

  @Option(names = "--http-password-file", paramLabel = "FILE", description = "File holding the HTTP Basic password.")
  Path httpPasswordFile;

  @Option(names = "--http-token-file", paramLabel = "FILE",
      description = "File holding a token for Authorization: Bearer (or env FERRY_HTTP_TOKEN).")
  Path httpTokenFile;

  @Option(names = "--retries", paramLabel = "N", defaultValue = "3",
      description = "Retries of transient failures (5xx, resets, timeouts), with backoff (default: ${DEFAULT-VALUE}).")
  int retries;
}
