package io.ferry.packager.cli;

import io.ferry.packager.hadoop.HadoopConfLoader;
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

/** Builds the {@link Stores} that a command's {@link StoreFlags} and environment ask for. */
final class StoresFromFlags {

  private StoresFromFlags() {}

  /**
   * The stores for {@code target}; S3 settings come from flags, then env, then {@code fs.s3a.*}
   * in the Hadoop configuration that {@link HadoopConfLoader} reads for {@code env}.
   */
  static Stores stores(StoreFlags flags, URI target, Map<String, String> env) throws IOException {
    if (flags.retries < 0) {
      throw new IllegalArgumentException("--retries: " + flags.retries + " (expected: >= 0)");
    }
    Configuration hadoopConf = HadoopConfLoader.load(env);
    RetryPolicy retry = new RetryPolicy(flags.retries + 1, Duration.ofMillis(500), Duration.ofSeconds(10));
    return new Stores(s3Options(flags, target, env, hadoopConf), httpOptions(flags, env), hadoopConf, retry);
  }

  private static S3Options s3Options(StoreFlags flags, URI target, Map<String, String> env, Configuration hadoopConf)
      throws IOException {
    if (target.getScheme() == null || !Stores.S3_SCHEMES.contains(target.getScheme().toLowerCase(java.util.Locale.ROOT))) {
      return S3Options.DEFAULTS;
    }
    S3Options conf = S3OptionsFromHadoopConf.from(hadoopConf, target.getHost());
    Optional<URI> endpoint = Optional.ofNullable(flags.s3Endpoint)
        .or(() -> Optional.ofNullable(env.get("FERRY_S3_ENDPOINT")).filter(v -> !v.isBlank()).map(URI::create))
        .or(conf::endpoint);
    Optional<String> accessKey = Optional.ofNullable(flags.s3AccessKey)
        .or(() -> Optional.ofNullable(env.get("FERRY_S3_ACCESS_KEY")).filter(v -> !v.isBlank()));
    Optional<String> secret = secret(flags.s3SecretKeyFile, "--s3-secret-key-file", env, "FERRY_S3_SECRET_KEY");
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
    long partSize = flags.s3PartSize != null ? flags.s3PartSize : conf.partSize();
    return new S3Options(endpoint, Optional.ofNullable(flags.s3Region).or(conf::region), flags.s3PathStyle || conf.pathStyle(),
        accessKey, secret, token, Math.max(conf.multipartThreshold(), partSize), partSize);
  }

  private static HttpOptions httpOptions(StoreFlags flags, Map<String, String> env) throws IOException {
    HttpOptions d = HttpOptions.DEFAULTS;
    Optional<String> password = flags.httpUser == null ? Optional.empty()
        : secret(flags.httpPasswordFile, "--http-password-file", env, "FERRY_HTTP_PASSWORD");
    Optional<String> token = secret(flags.httpTokenFile, "--http-token-file", env, "FERRY_HTTP_TOKEN");
    return new HttpOptions(Optional.ofNullable(flags.httpUser), password, flags.httpUser == null ? token : Optional.empty(),
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
