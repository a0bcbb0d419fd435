package io.ferry.packager.hadoop;

import io.ferry.packager.store.ObjectStore;
import io.ferry.packager.store.StoreException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The state of one S3 {@code hadoop fs} command: where it prints, the stores it opened (one per
 * bucket, closed at the end) and whether any path failed. Failures are reported the way FsShell
 * reports them, {@code <command>: <message>} on stderr, and the command goes on with its other
 * paths; any failure makes the exit status 1.
 */
final class S3ShellSession implements AutoCloseable {

  private static final Pattern USER_INFO =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/\\s@`']*@");

  final String name;
  final PrintStream out;
  final PrintStream err;
  private final S3FsShell.StoreOpener opener;
  private final Map<String, ObjectStore> stores = new LinkedHashMap<>();
  private int errors;

  /** A session for the command {@code name}, without its dash ({@code copyToLocal}). */
  S3ShellSession(String name, S3FsShell.StoreOpener opener, PrintStream out, PrintStream err) {
    this.name = name;
    this.opener = opener;
    this.out = out;
    this.err = err;
  }

  /** Parses an argument that must be an S3 URI, reporting why not. */
  S3Path s3Argument(String arg) {
    if (!S3Path.isS3(arg)) {
      fail("`" + arg + "': not an s3, s3a or s3n URI; Ferry's shim cannot mix S3 with other"
          + " file systems in one command, so run one command per file system");
      return null;
    }
    try {
      return S3Path.parse(arg);
    } catch (IllegalArgumentException e) {
      fail(e.getMessage());
      return null;
    }
  }

  ObjectStore store(S3Path p) throws IOException {
    String key = p.uri().getScheme() + "://" + p.bucket();
    ObjectStore store = stores.get(key);
    if (store == null) {
      store = opener.open(p.uri());
      stores.put(key, store);
    }
    return store;
  }

  @Override
  public void close() {
    for (ObjectStore store : stores.values()) {
      try {
        store.close();
      } catch (IOException | RuntimeException ignored) {
        // The command's result is already decided; a failing close only leaks until exit.
      }
    }
    stores.clear();
  }

  /** Reports one failed path or command; the exit status becomes 1. */
  void fail(String message) {
    // Arguments are echoed as typed, as Hadoop does, but never a scheme://user:secret@ part.
    err.println(name + ": " + USER_INFO.matcher(message).replaceAll("$1[REDACTED]@"));
    errors++;
  }

  int exitCode() {
    return errors == 0 ? 0 : 1;
  }

  static String notFound(String text) {
    return "`" + text + "': No such file or directory";
  }

  static String cannotList(String text) {
    return "`" + text + "': Is a directory (an S3 prefix); Ferry's shim works on single objects"
        + " and cannot list prefixes";
  }

  /** A store failure: StoreException messages already name the operation, URI and remedy. */
  static String describe(Exception e) {
    if (e instanceof StoreException || e instanceof IllegalArgumentException) {
      return e.getMessage();
    }
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + message;
  }

  /** A local file failure, in FsShell's words. */
  static String local(String text, Exception e) {
    if (e instanceof AccessDeniedException) {
      return "`" + text + "': Permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return notFound(text);
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return "`" + text + "': " + fse.getReason();
    }
    return "`" + text + "': " + describe(e);
  }
}
