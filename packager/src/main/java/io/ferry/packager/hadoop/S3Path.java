package io.ferry.packager.hadoop;

import io.ferry.packager.store.Stores;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code s3://}, {@code s3a://} or {@code s3n://} argument of a {@code hadoop fs} command.
 *
 * <p>The text is read as Hadoop's {@code Path} reads it: everything after the bucket is the key,
 * {@code ?} and {@code #} included, and {@code %} is literal. {@link #text()} is the argument as
 * typed, which is what Hadoop prints back (the Mesos fetcher matches {@code -du} output on it).
 * URIs with credentials ({@code s3a://id:secret@bucket}) are refused without being echoed.
 *
 * @param text the argument as given
 * @param uri the object's URI, with the key's special characters quoted
 * @param bucket the bucket (the URI's authority)
 * @param key the object key, without a leading slash; empty for the bucket root
 */
record S3Path(String text, URI uri, String bucket, String key) {

  private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://(.*)$");

  // Mesos before the fix of hdfs.cpp's normalize() turned every URI not starting with hdfs://
  // into "/s3a://bucket/key"; Hadoop then looked for a local-style path and failed.
  private static final Pattern MESOS_SLASHED = Pattern.compile("^/+([A-Za-z][A-Za-z0-9+.-]*://.*)$");

  /** The argument with a leading slash that old Mesos agents add to URIs removed. */
  static String undoMesosSlash(String arg) {
    Matcher m = MESOS_SLASHED.matcher(arg);
    return m.matches() ? m.group(1) : arg;
  }

  /** True if the argument (after {@link #undoMesosSlash}) names an S3 object. */
  static boolean isS3(String arg) {
    Matcher m = SCHEME.matcher(arg);
    return m.matches() && Stores.S3_SCHEMES.contains(m.group(1).toLowerCase(Locale.ROOT));
  }

  /**
   * Parses an argument for which {@link #isS3} is true.
   *
   * @throws IllegalArgumentException if it has no bucket or carries credentials; the message
   *     never repeats the argument, which may hold a secret
   */
  static S3Path parse(String arg) {
    Matcher m = SCHEME.matcher(arg);
    if (!m.matches() || !Stores.S3_SCHEMES.contains(m.group(1).toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("`" + arg + "': not an s3, s3a or s3n URI");
    }
    String rest = m.group(2);
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String key = slash < 0 ? "" : rest.substring(slash + 1);
    if (bucket.contains("@")) {
      throw new IllegalArgumentException("an " + m.group(1) + ":// URI carries credentials, which"
          + " Hadoop 3 no longer accepts either; set fs.s3a.access.key and fs.s3a.secret.key in"
          + " core-site.xml instead, and treat the key as exposed");
    }
    if (bucket.isEmpty()) {
      throw new IllegalArgumentException("`" + arg + "': no bucket (expected "
          + m.group(1) + "://bucket/key)");
    }
    try {
      URI uri = new URI(m.group(1).toLowerCase(Locale.ROOT), bucket, "/" + key, null, null);
      return new S3Path(arg, uri, bucket, key);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("`" + arg + "': not a valid URI (" + e.getReason() + ")");
    }
  }

  /** The object {@code name} inside this path taken as a directory. */
  S3Path child(String name) {
    String sep = text.endsWith("/") ? "" : "/";
    return parse(text + sep + name);
  }

  /** True for a bucket root or a key ending with '/': a directory, which the shim cannot list. */
  boolean isDirectoryLike() {
    return key.isEmpty() || key.endsWith("/");
  }

  /** The last segment of the key, as a local file name. */
  String name() {
    String k = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
    return k.substring(k.lastIndexOf('/') + 1);
  }

  /** A local path argument as Hadoop reads one: {@code file:} URIs or plain paths. */
  static Path local(String arg) {
    if (arg.startsWith("file:")) {
      String rest = arg.substring("file:".length());
      if (rest.startsWith("//")) {
        rest = rest.substring(2);
        int slash = rest.indexOf('/');
        rest = slash < 0 ? "/" : rest.substring(slash);
      }
      return Path.of(rest);
    }
    return Path.of(arg);
  }
}
