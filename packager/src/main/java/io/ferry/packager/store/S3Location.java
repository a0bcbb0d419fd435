package io.ferry.packager.store;

import io.ferry.packager.store.StoreException.Kind;
import java.net.URI;
import java.util.Locale;

/**
 * The bucket and key named by an {@code s3://}, {@code s3a://} or {@code s3n://} URI. The three
 * schemes mean the same object: {@code s3a} and {@code s3n} are what Hadoop and Spark users write.
 *
 * @param bucket the bucket name, as written (S3 bucket names need not be valid host names)
 * @param key the object key, percent-decoded, without the leading slash
 */
record S3Location(String bucket, String key) {

  /** Parses {@code uri}; fails with {@link Kind#BAD_URI} if it names no bucket or no object. */
  static S3Location parse(URI uri) throws StoreException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!Stores.S3_SCHEMES.contains(scheme)) {
      throw new StoreException(Kind.BAD_URI, "open", uri,
          "not an S3 URI (expected s3://bucket/key, s3a://bucket/key or s3n://bucket/key)");
    }
    if (uri.getRawUserInfo() != null) {
      throw new StoreException(Kind.BAD_URI, "open", uri,
          "credentials in the URI are not supported; use --s3-access-key and FERRY_S3_SECRET_KEY"
              + " or the AWS credential chain");
    }
    // The authority, not the host: java.net.URI returns no host for names with '_' or a
    // trailing '.', which older buckets may have.
    String bucket = uri.getRawAuthority();
    if (bucket == null || bucket.isEmpty()) {
      throw new StoreException(Kind.BAD_URI, "open", uri,
          "no bucket in the URI (expected " + scheme + "://bucket/key)");
    }
    String path = uri.getPath();
    String key = path == null ? "" : path.startsWith("/") ? path.substring(1) : path;
    if (key.isEmpty()) {
      throw new StoreException(Kind.BAD_URI, "open", uri,
          "no object key in the URI (expected " + scheme + "://" + bucket + "/path/to/object)");
    }
    if (key.endsWith("/")) {
      throw new StoreException(Kind.BAD_URI, "open", uri,
          "the key ends with '/', which names a folder; give the object's full name");
    }
    return new S3Location(bucket, key);
  }
}
