package io.ferry.packager.store;

import io.ferry.packager.store.StoreException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalLong;

/**
 * {@code file://} URIs and plain paths. A put copies to a hidden temporary sibling
 * ({@code .name._COPYING_}) and renames it into place atomically, so readers never see a partial
 * file; the temporary file is removed on failure.
 */
final class LocalFileStore implements ObjectStore {

  private static final int BUFFER = 1 << 20;

  @Override
  public OptionalLong size(URI uri) throws IOException {
    Path path = path(uri);
    if (!Files.exists(path)) {
      return OptionalLong.empty();
    }
    if (Files.isDirectory(path)) {
      throw new StoreException(Kind.REJECTED, "stat", uri, "is a directory, not a file");
    }
    return OptionalLong.of(Files.size(path));
  }

  @Override
  public boolean isDirectory(URI uri) throws IOException {
    return Files.isDirectory(path(uri));
  }

  @Override
  public void put(Path source, URI uri, boolean overwrite, TransferListener listener)
      throws IOException {
    Path target = path(uri);
    Path dir = target.toAbsolutePath().getParent();
    if (!overwrite && Files.exists(target)) {
      throw new StoreException(Kind.ALREADY_EXISTS, "upload", uri,
          "an object already exists; pass --overwrite to replace it");
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw classify("create directory for", uri, e);
    }
    Path temp = dir.resolve("." + target.getFileName() + "._COPYING_");
    long total = Files.size(source);
    listener.started(uri.toString(), total);
    boolean ok = false;
    try {
      try (InputStream in = Files.newInputStream(source);
          OutputStream out = Files.newOutputStream(temp)) {
        byte[] buf = new byte[BUFFER];
        for (int n; (n = in.read(buf)) > 0; ) {
          out.write(buf, 0, n);
          listener.transferred(n);
        }
      }
      move(temp, target, overwrite, uri);
      ok = true;
    } catch (StoreException e) {
      throw e;
    } catch (IOException e) {
      throw classify("upload", uri, e);
    } finally {
      if (!ok) {
        Files.deleteIfExists(temp);
      }
      listener.finished(ok);
    }
  }

  private static void move(Path temp, Path target, boolean overwrite, URI uri) throws IOException {
    try {
      if (overwrite) {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return;
      }
      // A hard link fails if the target appeared meanwhile, where a rename would replace it.
      try {
        Files.createLink(target, temp);
        Files.delete(temp);
      } catch (FileAlreadyExistsException e) {
        throw e;
      } catch (UnsupportedOperationException | IOException linksRefused) {
        if (Files.exists(target)) {
          throw new FileAlreadyExistsException(target.toString());
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (FileAlreadyExistsException e) {
      throw new StoreException(Kind.ALREADY_EXISTS, "upload", uri,
          "an object appeared while uploading; pass --overwrite to replace it");
    } catch (AtomicMoveNotSupportedException e) {
      throw new StoreException(Kind.REJECTED, "upload", uri,
          "the file system cannot rename atomically here", e);
    }
  }

  @Override
  public InputStream open(URI uri) throws IOException {
    try {
      return Files.newInputStream(path(uri));
    } catch (IOException e) {
      throw classify("read", uri, e);
    }
  }

  @Override
  public boolean delete(URI uri) throws IOException {
    try {
      return Files.deleteIfExists(path(uri));
    } catch (IOException e) {
      throw classify("delete", uri, e);
    }
  }

  private static Path path(URI uri) throws StoreException {
    if (uri.getScheme() == null) {
      return Path.of(uri.getPath());
    }
    String host = uri.getHost();
    if (host != null && !host.isEmpty() && !host.equals("localhost")) {
      throw new StoreException(Kind.BAD_URI, "open", uri,
          "file:// URIs name a local path; remove the host '" + host + "' (use file:///path)");
    }
    if (uri.getPath() == null || uri.getPath().isEmpty()) {
      throw new StoreException(Kind.BAD_URI, "open", uri, "no path in the URI");
    }
    return Path.of(uri.getPath());
  }

  static StoreException classify(String operation, URI uri, IOException e) {
    if (e instanceof StoreException se) {
      return se;
    }
    if (e instanceof NoSuchFileException) {
      return new StoreException(Kind.NOT_FOUND, operation, uri,
          "no such file or directory: " + e.getMessage(), e);
    }
    if (e instanceof AccessDeniedException) {
      return new StoreException(Kind.AUTH, operation, uri,
          "permission denied on " + e.getMessage() + "; check the owner and mode of the directory", e);
    }
    String message = String.valueOf(e.getMessage());
    if (message.contains("No space left") || message.contains("Disk quota exceeded")) {
      return new StoreException(Kind.NO_SPACE, operation, uri,
          "no space left on the device; free space or choose another location", e);
    }
    return new StoreException(Kind.REJECTED, operation, uri, message, e);
  }
}
