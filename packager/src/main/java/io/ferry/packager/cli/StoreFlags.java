package io.ferry.packager.cli;

import io.ferry.packager.hadoop.S3OptionsFromHadoopConf;
import io.ferry.packager.store.HttpOptions;
import io.ferry.packager.store.RetryPolicy;
import io.ferry.packager.store.S3Options;
import io.ferry.packager.store.Stores;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Option;

/**
 * Flags shared by the commands that reach a store. Secrets never come from a flag's value, which
 * other users can read in the process list: they come from an environment variable or a file.
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

  /** The stores for {@code target}; S3 settings come from flags, then env, then {@code fs.s3a.*}. */
  Stores stores(URI target, Map<String, String> env, Configuration hadoopConf) throws IOException {
    if (retries < 0) {
      throw new IllegalArgumentException("--retries: " + retries + " (expected: >= 0)");
    }
    RetryPolicy retry = new RetryPolicy(retries + 1, Duration.ofMillis(500), Duration.ofSeconds(10));
    return new Stores(s3Options(target, env, hadoopConf), httpOptions(env), hadoopConf, retry);
  }

  private S3Options s3Options(URI target, Map<String, String> env, Configuration hadoopConf) throws IOException {
    if (target.getScheme() == null || !Stores.S3_SCHEMES.contains(target.getScheme().toLowerCase(java.util.Locale.ROOT))) {
      return S3Options.DEFAULTS;
    }
    S3Options conf = S3OptionsFromHadoopConf.from(hadoopConf, target.getHost());
    Optional<URI> endpoint = Optional.ofNullable(s3Endpoint)
        .or(() -> Optional.ofNullable(env.get("FERRY_S3_ENDPOINT")).filter(v -> !v.isBlank()).map(URI::create))
        .or(conf::endpoint);
    Optional<String> accessKey = Optional.ofNullable(s3AccessKey)
        .or(() -> Optional.ofNullable(env.get("FERRY_S3_ACCESS_KEY")).filter(v -> !v.isBlank()));
    Optional<String> secret = secret(s3SecretKeyFile, "--s3-secret-key-file", env, "FERRY_S3_SECRET_KEY");
    Optional<String> token = Optional.ofNullable(env.get("FERRY_S3_SESSION_TOKEN")).filter(v -> !v.isBlank());
    if (accessKey.isEmpty() && secret.isEmpty()) {
      accessKey = conf.accessKey();
      secret = conf.secretKey();
      token = conf.sessionToken();
    } else if (accessKey.isEmpty() || secret.isEmpty()) {
      throw new IllegalArgumentException(accessKey.isEmpty()
          ? "an S3 secret key is set but no access key: add --s3-access-key or FERRY_S3_ACCESS_KEY"
          : "--s3-access-key is set but no secret: set FERRY_S3_SECRET_KEY or --s3-secret-key-file");
    }
    long partSize = s3PartSize != null ? s3PartSize : conf.partSize();
    return new S3Options(endpoint, Optional.ofNullable(s3Region).or(conf::region), s3PathStyle || conf.pathStyle(),
        accessKey, secret, token, Math.max(conf.multipartThreshold(), partSize), partSize);
  }

  private HttpOptions httpOptions(Map<String, String> env) throws IOException {
    HttpOptions d = HttpOptions.DEFAULTS;
    Optional<String> password = httpUser == null ? Optional.empty()
        : secret(httpPasswordFile, "--http-password-file", env, "FERRY_HTTP_PASSWORD");
    Optional<String> token = secret(httpTokenFile, "--http-token-file", env, "FERRY_HTTP_TOKEN");
    return new HttpOptions(Optional.ofNullable(httpUser), password, httpUser == null ? token : Optional.empty(),
        d.connectTimeout(), d.requestTimeout(), d.maxRedirects());
  }

  /** A secret from a file (first line, trimmed) or else an environment variable. */
  private static Optional<String> secret(Path file, String flag, Map<String, String> env, String var)
      throws IOException {
    if (file != null) {
      try {
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        int nl = text.indexOf('\n');
        text = nl < 0 ? text : text.substring(0, nl).strip();
        if (text.isEmpty()) {
          throw new IllegalArgumentException(flag + ": " + file + " is empty");
        }
        return Optional.of(text);
      } catch (java.nio.file.NoSuchFileException e) {
        throw new IllegalArgumentException(flag + ": " + file + " does not exist");
      }
    }
    return Optional.ofNullable(env.get(var)).filter(s -> !s.isEmpty());
  }
}
