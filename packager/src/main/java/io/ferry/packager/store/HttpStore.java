package io.ferry.packager.store;

import io.ferry.packager.internal.Background;
import io.ferry.packager.store.HttpBodies.Digest;
import io.ferry.packager.store.HttpTransport.Call;
import io.ferry.packager.store.HttpTransport.Reply;
import io.ferry.packager.store.StoreException.Kind;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code http://} and {@code https://} URIs on a server that accepts PUT: nginx with WebDAV, an
 * artifact repository. HTTP has no rename, so a put cannot be made atomic by the client; instead
 * it is verified: after the PUT the object's size and CRC-32C are read back, and an object that
 * does not match is deleted. nginx itself stores the body in a temporary file and renames it
 * into place only once complete, so an interrupted PUT leaves nothing there. After a PUT that
 * failed mid-way, an object of the wrong size that was not there before is deleted as well.
 *
 * <p>Each network step is retried on its own by the {@link RetryPolicy}: the existence check,
 * the upload and the verification. Retrying the whole put instead would make it refuse to
 * overwrite the object its own first attempt stored before the connection broke.
 */
final class HttpStore implements ObjectStore {

  private static final Logger LOG = LoggerFactory.getLogger(HttpStore.class);

  private final HttpOptions options;
  private final RetryPolicy retry;
  private final HttpTransport http;

  HttpStore(HttpOptions options, RetryPolicy retry) {
    this.options = Objects.requireNonNull(options, "options");
    this.retry = Objects.requireNonNull(retry, "retry");
    this.http = new HttpTransport(options);
  }

  /** What a HEAD says about an object; length is -1 when the server does not say. */
  private record Stat(boolean exists, long length, Optional<String> etag,
      Optional<String> lastModified) {

    static final Stat ABSENT = new Stat(false, -1, Optional.empty(), Optional.empty());

    /** Whether {@code other} is very likely the same stored version. */
    boolean sameVersion(Stat other) {
      if (etag.isPresent() && other.etag.isPresent()) {
        return etag.equals(other.etag);
      }
      return lastModified.isPresent() && lastModified.equals(other.lastModified)
          && length == other.length;
    }
  }

  @Override
  public OptionalLong size(URI uri) throws IOException {
    check("stat", uri);
    return retry.run("stat " + Redaction.uri(uri), () -> {
      Stat stat = stat("stat", uri, uri);
      if (!stat.exists()) {
        return OptionalLong.empty();
      }
      if (stat.length() >= 0) {
        return OptionalLong.of(stat.length());
      }
      // No Content-Length on HEAD (a dynamic server): count the bytes of a GET instead.
      return OptionalLong.of(fetchDigest("stat", uri, uri).bytes());
    });
  }

  /**
   * Web servers (nginx, Apache httpd) answer a request for a directory without its slash with a
   * redirect to the same path with one; that is the only sign HTTP gives without WebDAV's PROPFIND.
   */
  @Override
  public boolean isDirectory(URI uri) throws IOException {
    check("stat", uri);
    return retry.run("stat " + Redaction.uri(uri), () -> {
      Reply<Void> reply = http.send("stat", uri, uri, Call.head(new IdleWatch(options.requestTimeout())));
      String answered = reply.uri().getPath();
      return answered != null && answered.equals(uri.getPath() + "/");
    });
  }

  @Override
  public void put(Path source, URI uri, boolean overwrite, TransferListener listener)
      throws IOException {
    check("upload", uri);
    long total = localSize(source, uri);
    // Always ask first: it refuses overwrites, and bad credentials show before any body is sent.
    Stat before = retry.run("look up " + Redaction.uri(uri), () -> stat("upload", uri, uri));
    if (before.exists() && !overwrite) {
      throw new StoreException(Kind.ALREADY_EXISTS, "upload", uri,
          "an object already exists; pass --overwrite to replace it");
    }
    listener.started(Redaction.uri(uri), total);
    boolean ok = false;
    try {
      IdleWatch watch = new IdleWatch(options.requestTimeout());
      ProgressPublisher body =
          new ProgressPublisher(BodyPublishers.ofFile(source), listener, watch);
      Call<Void> call = Call.put(body, contentType(uri), watch);
      // The local digest is needed only to verify; compute it while the body goes out.
      CompletableFuture<Digest> localDigest =
          Background.supply("ferry-http-crc32c", () -> HttpBodies.checksum(source));
      URI stored = retry.run("upload " + Redaction.uri(uri),
          () -> upload(call, uri, before, total));
      Digest local = Background.join(localDigest);
      retry.run("verify " + Redaction.uri(uri), () -> verify(uri, stored, local));
      ok = true;
      LOG.debug("uploaded {} ({} bytes, CRC-32C {} verified)", Redaction.uri(stored), total,
          local.crc32c());
    } catch (FileNotFoundException | NoSuchFileException e) {
      throw new StoreException(Kind.NOT_FOUND, "upload", uri,
          "cannot read the local file " + source + " (" + e.getMessage() + ")", e);
    } catch (StoreException | InterruptedIOException e) {
      throw e;
    } catch (IOException e) {
      throw new StoreException(Kind.REJECTED, "upload", uri,
          "cannot read the local file " + source + " (" + e.getMessage() + ")", e);
    } finally {
      listener.finished(ok);
    }
  }

  /** One PUT attempt; returns the URI that took the object (after redirects). */
  private URI upload(Call<Void> call, URI uri, Stat before, long total) throws IOException {
    Reply<Void> reply;
    try {
      reply = http.send("upload", uri, uri, call);
    } catch (StoreException e) {
      if (e.kind() == Kind.TRANSIENT) {
        removePartial(uri, before, total);
      }
      throw e;
    }
    if (HttpErrors.isSuccess(reply.status())) {
      return reply.uri();
    }
    StoreException failure =
        HttpErrors.forStatus("upload", uri, "PUT", reply.status(), reply.errorText());
    if (reply.status() >= 500) {
      removePartial(uri, before, total);
    }
    throw failure;
  }

  /** Reads the stored object back; deletes it and fails if it is not the local file. */
  private Void verify(URI uri, URI stored, Digest local) throws IOException {
    Stat stat = stat("verify", uri, stored);
    if (!stat.exists()) {
      throw new StoreException(Kind.CORRUPT, "verify", uri, "the server accepted the upload "
          + "but has no object at " + Redaction.uri(stored) + " afterwards");
    }
    if (stat.length() >= 0 && stat.length() != local.bytes()) {
      deleteQuietly(uri, stored);
      throw new StoreException(Kind.CORRUPT, "verify", uri, "the server reports "
          + stat.length() + " bytes, expected " + local.bytes()
          + " (the local file's size); the object was deleted");
    }
    Digest remote = fetchDigest("verify", uri, stored);
    if (remote.bytes() != local.bytes() || !remote.crc32c().equals(local.crc32c())) {
      deleteQuietly(uri, stored);
      throw new StoreException(Kind.CORRUPT, "verify", uri, "the server returns "
          + remote.bytes() + " bytes with CRC-32C " + remote.crc32c() + ", expected "
          + local.bytes() + " bytes with CRC-32C " + local.crc32c()
          + " (the local file's); the object was deleted");
    }
    return null;
  }

  /**
   * After a failed PUT: deletes what the server kept if it is not the previous object and not
   * the full size, so no partial object stays at the URI. Best effort: the server may be gone.
   */
  private void removePartial(URI uri, Stat before, long total) {
    try {
      Stat after = stat("check after failed upload", uri, uri);
      if (!after.exists() || after.length() == total || after.length() < 0
          || before.exists() && before.sameVersion(after)) {
        return;
      }
      LOG.warn("upload to {} failed and the server kept {} of {} bytes; deleting them",
          Redaction.uri(uri), after.length(), total);
      deleteOnce("delete partial upload", uri, uri);
    } catch (IOException | RuntimeException e) {
      LOG.debug("could not check {} for a partial upload: {}", Redaction.uri(uri),
          e.getMessage());
    }
  }

  @Override
  public InputStream open(URI uri) throws IOException {
    check("read", uri);
    return retry.run("read " + Redaction.uri(uri), () -> {
      Reply<InputStream> reply = http.send("read", uri, uri,
          Call.get(BodyHandlers.ofInputStream(), new IdleWatch(options.requestTimeout())));
      if (HttpErrors.isSuccess(reply.status())) {
        return reply.body();
      }
      throw HttpErrors.forStatus("read", uri, "GET", reply.status(), reply.errorText());
    });
  }

  @Override
  public boolean delete(URI uri) throws IOException {
    check("delete", uri);
    return retry.run("delete " + Redaction.uri(uri), () -> deleteOnce("delete", uri, uri));
  }

  private boolean deleteOnce(String operation, URI asked, URI target) throws IOException {
    Reply<Void> reply = http.send(operation, asked, target,
        Call.delete(new IdleWatch(options.requestTimeout())));
    if (HttpErrors.isSuccess(reply.status())) {
      return true;
    }
    if (HttpErrors.isGone(reply.status())) {
      return false;
    }
    throw HttpErrors.forStatus(operation, asked, "DELETE", reply.status(), reply.errorText());
  }

  private void deleteQuietly(URI asked, URI target) {
    try {
      deleteOnce("delete mismatching object", asked, target);
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not delete the mismatching object at {}: {}; delete it by hand",
          Redaction.uri(target), e.getMessage());
    }
  }

  private Stat stat(String operation, URI asked, URI target) throws IOException {
    Reply<Void> reply = http.send(operation, asked, target,
        Call.head(new IdleWatch(options.requestTimeout())));
    if (HttpErrors.isGone(reply.status())) {
      return Stat.ABSENT;
    }
    if (!HttpErrors.isSuccess(reply.status())) {
      throw HttpErrors.forStatus(operation, asked, "HEAD", reply.status(), reply.errorText());
    }
    return new Stat(true, reply.headers().firstValueAsLong("Content-Length").orElse(-1),
        reply.headers().firstValue("ETag"), reply.headers().firstValue("Last-Modified"));
  }

  private Digest fetchDigest(String operation, URI asked, URI target) throws IOException {
    IdleWatch watch = new IdleWatch(options.requestTimeout());
    Reply<Digest> reply =
        http.send(operation, asked, target, Call.get(info -> HttpBodies.checksum(watch), watch));
    if (!HttpErrors.isSuccess(reply.status())) {
      throw HttpErrors.forStatus(operation, asked, "GET", reply.status(), reply.errorText());
    }
    return reply.body();
  }

  private static long localSize(Path source, URI uri) throws StoreException {
    try {
      return Files.size(source);
    } catch (IOException e) {
      throw new StoreException(Kind.NOT_FOUND, "upload", uri,
          "cannot read the local file " + source + " (" + e.getMessage() + ")", e);
    }
  }

  /** The type servers and browsers should see for what Ferry publishes. */
  static String contentType(URI uri) {
    String path = uri.getPath() == null ? "" : uri.getPath().toLowerCase(Locale.ROOT);
    if (path.endsWith(".tgz") || path.endsWith(".gz")) {
      return "application/gzip";
    }
    if (path.endsWith(".sha512")) {
      return "text/plain";
    }
    return "application/octet-stream";
  }

  private static void check(String operation, URI uri) throws StoreException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new StoreException(Kind.BAD_URI, operation, uri, "not an http(s) URL");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new StoreException(Kind.BAD_URI, operation, uri, "no host in the URL");
    }
    if (uri.getRawUserInfo() != null) {
      throw new StoreException(Kind.BAD_URI, operation, uri, "credentials in the URL are not "
          + "used: remove them and pass --http-user with FERRY_HTTP_PASSWORD, or a token");
    }
    if (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().endsWith("/")) {
      throw new StoreException(Kind.BAD_URI, operation, uri,
          "the URL must name an object, not a directory (it ends in '/' or has no path)");
    }
  }
}
