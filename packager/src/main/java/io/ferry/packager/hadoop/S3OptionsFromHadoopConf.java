package io.ferry.packager.hadoop;

import io.ferry.packager.store.S3Options;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.util.StringUtils.TraditionalBinaryPrefix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@link S3Options} from the S3A keys an operator already has in {@code core-site.xml},
 * so the shim reaches the same bucket as {@code hadoop fs} with hadoop-aws would:
 *
 * <table>
 *   <caption>keys</caption>
 *   <tr><td>{@code fs.s3a.endpoint}</td><td>endpoint; a bare host gets {@code https://}, or
 *       {@code http://} when {@code fs.s3a.connection.ssl.enabled=false}</td></tr>
 *   <tr><td>{@code fs.s3a.endpoint.region}</td><td>region</td></tr>
 *   <tr><td>{@code fs.s3a.path.style.access}</td><td>{@code true} or {@code false}</td></tr>
 *   <tr><td>{@code fs.s3a.access.key}, {@code fs.s3a.secret.key},
 *       {@code fs.s3a.session.token}</td><td>static credentials, also from Hadoop credential
 *       providers ({@code hadoop.security.credential.provider.path})</td></tr>
 *   <tr><td>{@code fs.s3a.multipart.size}, {@code fs.s3a.multipart.threshold}</td>
 *       <td>sizes as Hadoop writes them: {@code 67108864}, {@code 64M}, {@code 128K}</td></tr>
 * </table>
 *
 * <p>As in S3A, {@code fs.s3a.bucket.<bucket>.<key>} overrides {@code fs.s3a.<key>} for one
 * bucket. Empty values mean "not set": the AWS SDK's chains supply region and credentials.
 * Every bad value is reported at once, naming the key and the value (secrets excepted).
 *
 * <pre>{@code
 * S3Options options = S3OptionsFromHadoopConf.from(HadoopConfLoader.load(), "my-bucket");
 * }</pre>
 */
public final class S3OptionsFromHadoopConf {

  private static final Logger LOG = LoggerFactory.getLogger(S3OptionsFromHadoopConf.class);

  static final String PREFIX = "fs.s3a.";

  private S3OptionsFromHadoopConf() {}

  /** The options for {@code bucket} (may be null: no per-bucket overrides). */
  public static S3Options from(Configuration conf, String bucket) {
    Reader r = new Reader(conf, bucket);
    Optional<URI> endpoint = r.endpoint();
    Optional<String> region = r.string("endpoint.region");
    boolean pathStyle = r.bool("path.style.access", false);
    Optional<String> accessKey = r.secret("access.key");
    Optional<String> secretKey = r.secret("secret.key");
    Optional<String> sessionToken = r.secret("session.token");
    long partSize = r.size("multipart.size", S3Options.DEFAULTS.partSize());
    long threshold = r.size("multipart.threshold", S3Options.DEFAULTS.multipartThreshold());

    if (accessKey.isPresent() != secretKey.isPresent()) {
      r.errors.add(accessKey.isPresent()
          ? r.name("access.key") + " is set but " + r.name("secret.key") + " is not: set both,"
              + " or neither to use the AWS credential chain"
          : r.name("secret.key") + " is set but " + r.name("access.key") + " is not: set both,"
              + " or neither to use the AWS credential chain");
    }
    if (sessionToken.isPresent() && accessKey.isEmpty()) {
      r.errors.add(r.name("session.token") + " is set without " + r.name("access.key") + " and "
          + r.name("secret.key") + ": a session token belongs to temporary access keys");
    }
    if (!r.errors.isEmpty()) {
      throw new IllegalArgumentException("bad S3 settings in the Hadoop configuration"
          + " (core-site.xml, HADOOP_CONF_DIR or -D): " + String.join("; ", r.errors));
    }

    if (partSize < S3Options.MIN_PART_SIZE) {
      // S3A raises a too-small part size to S3's minimum with a warning; a core-site.xml that
      // works with hadoop-aws must work here too.
      LOG.warn("{} is {} bytes, below S3's minimum part size; using {}",
          r.name("multipart.size"), partSize, S3Options.MIN_PART_SIZE);
      partSize = S3Options.MIN_PART_SIZE;
    }
    // A threshold below the part size only means "one-part multipart uploads"; S3Options
    // forbids that combination, and raising the threshold uploads the same bytes.
    threshold = Math.max(threshold, partSize);
    return new S3Options(endpoint, region, pathStyle, accessKey, secretKey, sessionToken,
        threshold, partSize);
  }

  /** Looks up one S3A key with its per-bucket override, collecting errors. */
  private static final class Reader {
    final Configuration conf;
    final String bucket;
    final List<String> errors = new ArrayList<>();

    Reader(Configuration conf, String bucket) {
      this.conf = conf;
      this.bucket = bucket;
    }

    /** The key actually in effect: the per-bucket one when it is set. */
    String name(String suffix) {
      if (bucket != null && !bucket.isEmpty()) {
        String perBucket = PREFIX + "bucket." + bucket + "." + suffix;
        if (conf.getTrimmed(perBucket) != null) {
          return perBucket;
        }
      }
      return PREFIX + suffix;
    }

    Optional<String> string(String suffix) {
      return Optional.ofNullable(conf.getTrimmed(name(suffix))).filter(s -> !s.isEmpty());
    }

    Optional<String> secret(String suffix) {
      String key = name(suffix);
      try {
        // getPassword reads Hadoop credential providers first, then the plain key.
        char[] value = conf.getPassword(key);
        return value == null ? Optional.empty()
            : Optional.of(new String(value).trim()).filter(s -> !s.isEmpty());
      } catch (IOException e) {
        errors.add(key + ": cannot read it from the credential providers (" + e.getMessage()
            + "); check hadoop.security.credential.provider.path");
        return Optional.empty();
      }
    }

    boolean bool(String suffix, boolean dflt) {
      Optional<String> value = string(suffix);
      if (value.isEmpty()) {
        return dflt;
      }
      switch (value.get().toLowerCase(Locale.ROOT)) {
        case "true":
          return true;
        case "false":
          return false;
        default:
          errors.add(name(suffix) + ": '" + value.get() + "' (expected: true or false)");
          return dflt;
      }
    }

    long size(String suffix, long dflt) {
      Optional<String> value = string(suffix);
      if (value.isEmpty()) {
        return dflt;
      }
      try {
        long bytes = TraditionalBinaryPrefix.string2long(value.get());
        if (bytes <= 0) {
          errors.add(name(suffix) + ": '" + value.get() + "' (expected: a size > 0)");
          return dflt;
        }
        return bytes;
      } catch (IllegalArgumentException e) {
        errors.add(name(suffix) + ": '" + value.get()
            + "' is not a size (expected: bytes, or a number with a K, M, G or T suffix, e.g. 64M)");
        return dflt;
      }
    }

    Optional<URI> endpoint() {
      Optional<String> value = string("endpoint");
      if (value.isEmpty()) {
        return Optional.empty();
      }
      String text = value.get();
      if (!text.contains("://")) {
        String ssl = string("connection.ssl.enabled").orElse("true");
        text = (ssl.equalsIgnoreCase("false") ? "http://" : "https://") + text;
      }
      try {
        URI uri = new URI(text);
        if (uri.getHost() == null) {
          errors.add(name("endpoint") + ": '" + value.get()
              + "' has no host (expected e.g. http://127.0.0.1:9000 or s3.eu-west-1.amazonaws.com)");
          return Optional.empty();
        }
        return Optional.of(uri);
      } catch (URISyntaxException e) {
        errors.add(name("endpoint") + ": '" + value.get() + "' is not a URL (" + e.getReason() + ")");
        return Optional.empty();
      }
    }
  }
}
