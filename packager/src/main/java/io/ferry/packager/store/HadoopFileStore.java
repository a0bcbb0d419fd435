package io.ferry.packager.store;

import io.ferry.packager.store.StoreException.Kind;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.apache.hadoop.security.AccessControlException;

/**
 * {@code hdfs://}, {@code webhdfs://} and other Hadoop FileSystem URIs, through Hadoop's shaded
 * client. A put writes {@code name._COPYING_} beside the target and renames it, as
 * {@code hadoop fs -put} does; the temporary file is deleted if anything fails.
 */
final class HadoopFileStore implements ObjectStore {

  private static final int BUFFER = 1 << 20;

  private final Configuration conf;
  private final RetryPolicy retry;
  private final Map<String, FileSystem> open = new HashMap<>();

  HadoopFileStore(Configuration conf, RetryPolicy retry) {
    this.conf = conf;
    this.retry = retry;
  }

  @Override
  public OptionalLong size(URI uri) throws IOException {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri);
    try {
      FileStatus status = fs(uri).getFileStatus(path);
      if (status.isDirectory()) {
        throw new StoreException(Kind.REJECTED, "stat", uri, "is a directory, not a file");
      }
      return OptionalLong.of(status.getLen());
    } catch (FileNotFoundException e) {
      return OptionalLong.empty();
    } catch (IOException e) {
      throw classify("stat", uri, e);
    }
  }

  @Override
  public boolean isDirectory(URI uri) throws IOException {
    try {
      return fs(uri).getFileStatus(new org.apache.hadoop.fs.Path(uri)).isDirectory();
    } catch (FileNotFoundException e) {
      return false;
    } catch (IOException e) {
      throw classify("stat", uri, e);
    }
  }

  @Override
  public void put(Path source, URI uri, boolean overwrite, TransferListener listener)
      throws IOException {
    retry.run("upload " + uri, () -> {
      putOnce(source, uri, overwrite, listener);
      return null;
    });
  }

  private void putOnce(Path source, URI uri, boolean overwrite, TransferListener listener)
      throws IOException {
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(uri);
    org.apache.hadoop.fs.Path temp =
        new org.apache.hadoop.fs.Path(target.getParent(), target.getName() + "._COPYING_");
    FileSystem fs = fs(uri);
    if (!overwrite && size(uri).isPresent()) {
      throw new StoreException(Kind.ALREADY_EXISTS, "upload", uri,
          "an object already exists; pass --overwrite to replace it");
    }
    long total = Files.size(source);
    listener.started(uri.toString(), total);
    boolean ok = false;
    try {
      copy(source, fs.create(temp, true), listener);
      rename(temp, target, overwrite, uri);
      ok = true;
    } catch (IOException e) {
      throw classify("upload", uri, e);
    } finally {
      if (!ok) {
        deleteQuietly(fs, temp);
      }
      listener.finished(ok);
    }
  }

  /**
   * Copies and closes. Not try-with-resources: after a pipeline failure HDFS's close() rethrows
   * the very exception write() threw, and self-suppression would mask it.
   */
  private static void copy(Path source, OutputStream out, TransferListener listener) throws IOException {
    boolean written = false;
    try (InputStream in = Files.newInputStream(source)) {
      byte[] buf = new byte[BUFFER];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
        listener.transferred(n);
      }
      written = true;
    } finally {
      if (!written) {
        try {
          out.close();
        } catch (IOException | RuntimeException alreadyFailing) {
          // The write failure is the one to report.
        }
      }
    }
    out.close();
  }

  private void rename(org.apache.hadoop.fs.Path temp, org.apache.hadoop.fs.Path target,
      boolean overwrite, URI uri) throws IOException {
    try {
      if (overwrite) {
        FileContext.getFileContext(uri, conf).rename(temp, target, Options.Rename.OVERWRITE);
      } else {
        FileContext.getFileContext(uri, conf).rename(temp, target, Options.Rename.NONE);
      }
    } catch (FileAlreadyExistsException e) {
      throw new StoreException(Kind.ALREADY_EXISTS, "upload", uri,
          "an object appeared while uploading; pass --overwrite to replace it");
    }
  }

  @Override
  public InputStream open(URI uri) throws IOException {
    try {
      return fs(uri).open(new org.apache.hadoop.fs.Path(uri), BUFFER);
    } catch (IOException e) {
      throw classify("read", uri, e);
    }
  }

  @Override
  public boolean delete(URI uri) throws IOException {
    try {
      return fs(uri).delete(new org.apache.hadoop.fs.Path(uri), false);
    } catch (IOException e) {
      throw classify("delete", uri, e);
    }
  }

  @Override
  public void close() throws IOException {
    for (FileSystem fs : open.values()) {
      fs.close();
    }
    open.clear();
  }

  private FileSystem fs(URI uri) throws StoreException {
    String key = uri.getScheme() + "://" + uri.getAuthority();
    FileSystem fs = open.get(key);
    if (fs == null) {
      try {
        fs = FileSystem.newInstance(uri, conf);
      } catch (IOException e) {
        throw classify("connect to", uri, e);
      }
      open.put(key, fs);
    }
    return fs;
  }

  private static void deleteQuietly(FileSystem fs, org.apache.hadoop.fs.Path temp) {
    try {
      fs.delete(temp, false);
    } catch (IOException | RuntimeException ignored) {
      // The file system is likely gone; the temporary name never shadows the final one.
    }
  }

  static StoreException classify(String operation, URI uri, IOException e) {
    if (e instanceof StoreException se) {
      return se;
    }
    if (e instanceof FileNotFoundException) {
      return new StoreException(Kind.NOT_FOUND, operation, uri, "no such file or directory", e);
    }
    if (e instanceof AccessControlException) {
      return new StoreException(Kind.AUTH, operation, uri, "permission denied ("
          + firstLine(e) + "); check the HDFS user (HADOOP_USER_NAME) and the directory's permissions", e);
    }
    if (e instanceof ParentNotDirectoryException) {
      return new StoreException(Kind.REJECTED, operation, uri, "a parent of the path is a file", e);
    }
    if (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)) {
      return new StoreException(Kind.REJECTED, operation, uri, "interrupted", e);
    }
    String name = e.getClass().getSimpleName();
    if (name.contains("QuotaExceeded") || String.valueOf(e.getMessage()).contains("could only be written to 0")) {
      return new StoreException(Kind.NO_SPACE, operation, uri,
          "no space or quota left (" + firstLine(e) + "); check the quota and the datanodes' free space", e);
    }
    Throwable root = rootCause(e);
    if (root instanceof UnknownHostException) {
      return new StoreException(Kind.UNREACHABLE, operation, uri,
          "unknown host " + root.getMessage() + "; check the namenode address", e);
    }
    if (root instanceof ConnectException || root instanceof NoRouteToHostException) {
      return new StoreException(Kind.UNREACHABLE, operation, uri,
          "cannot connect to the namenode; check that it is running and the host and port are right", e);
    }
    return new StoreException(Kind.TRANSIENT, operation, uri, firstLine(e), e);
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
