package io.ferry.packager.store;

import io.ferry.packager.internal.Background;
import io.ferry.packager.store.StoreException.Kind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/**
 * One multipart upload of a local file: create, send the parts in order, complete. S3 only makes
 * the object visible on complete, so aborting on any failure or interrupt keeps the
 * {@link ObjectStore} promise that no partial object ever appears at the key, and frees the parts
 * (which S3 bills for). If even the abort fails, the exception names the upload id so an operator
 * can remove it.
 *
 * <p>Parts go one at a time, streamed from the file, so memory stays flat on the small machines
 * the packager shares with builds. They are sent from a worker thread so that an interrupt of the
 * caller can let the part in flight end before the abort: a part cut off mid-body may still be
 * stored after an abort (AWS documents this), and S3Proxy's file system backend even fails the
 * abort and leaves the upload behind. An interrupt therefore stops the upload at the next part
 * boundary. {@link TransferListener#transferred} is called from that worker thread.
 */
final class S3MultipartUpload {

  private static final Logger LOG = LoggerFactory.getLogger(S3MultipartUpload.class);

  /** S3's limit on parts per upload; the part size grows past the configured one to fit. */
  static final int MAX_PARTS = 10_000;

  private final S3Client s3;
  private final RetryPolicy retry;
  private final S3Errors errors;
  private final Path source;
  private final long size;
  private final URI uri;
  private final S3Location location;
  private final String contentType;
  private final TransferListener listener;
  private final long partSize;
  /** Set when the caller is interrupted: the part in flight ends, but is not retried. */
  private volatile boolean stopping;

  S3MultipartUpload(S3Client s3, RetryPolicy retry, S3Errors errors, Path source, long size,
      URI uri, S3Location location, String contentType, long partSize, TransferListener listener) {
    this.s3 = s3;
    this.retry = retry;
    this.errors = errors;
    this.source = source;
    this.size = size;
    this.uri = uri;
    this.location = location;
    this.contentType = contentType;
    this.listener = listener;
    this.partSize = Math.max(partSize, (size + MAX_PARTS - 1) / MAX_PARTS);
  }

  void run() throws IOException {
    String uploadId = retry.run("start multipart upload of " + Redaction.uri(uri), this::create);
    LOG.debug("Multipart upload {} of {} started: {} bytes in parts of {}",
        uploadId, Redaction.uri(uri), size, partSize);
    ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "ferry-s3-upload");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<CompletedPart> parts = uploadParts(uploadId, worker);
      // If the complete succeeds but its response is lost, the retry gets NoSuchUpload and the
      // put fails although the object is there; a rerun with --overwrite settles it.
      retry.run("complete multipart upload of " + Redaction.uri(uri),
          () -> complete(uploadId, parts));
    } catch (Throwable failure) {
      Optional<Exception> abortFailure = abort(uploadId);
      if (abortFailure.isEmpty()) {
        if (failure instanceof InterruptedIOException) {
          throw S3Errors.interrupted("upload", uri, failure);
        }
        throw failure;
      }
      if (failure instanceof RuntimeException || failure instanceof Error) {
        failure.addSuppressed(abortFailure.get());
        throw failure;
      }
      throw withAbortNote(failure, uploadId, abortFailure.get());
    } finally {
      worker.shutdown();
    }
  }

  private String create() throws StoreException {
    try {
      return s3.createMultipartUpload(r -> r.bucket(location.bucket()).key(location.key())
          .contentType(contentType)).uploadId();
    } catch (SdkException e) {
      throw errors.classify("start multipart upload of", uri, location, e);
    }
  }

  private List<CompletedPart> uploadParts(String uploadId, ExecutorService worker)
      throws IOException {
    int count = (int) ((size + partSize - 1) / partSize);
    List<CompletedPart> parts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (Thread.currentThread().isInterrupted()) {
        throw S3Errors.interrupted("upload", uri, null);
      }
      int number = i + 1;
      long offset = i * partSize;
      long length = Math.min(partSize, size - offset);
      FileSliceBody.Progress progress = new FileSliceBody.Progress(listener);
      String what = "upload part " + number + " of " + count + " of " + Redaction.uri(uri);
      Future<String> sending = worker.submit(() -> retry.run(what, () -> {
        if (stopping) {
          throw new StoreException(Kind.REJECTED, "upload", uri, "interrupted");
        }
        return uploadPart(uploadId, number, offset, length, progress);
      }));
      parts.add(CompletedPart.builder().partNumber(number).eTag(await(sending)).build());
    }
    return parts;
  }

  /** The part's ETag; on interrupt, waits for the part in flight to end (but not be retried). */
  private String await(Future<String> sending) throws IOException {
    try {
      return sending.get();
    } catch (InterruptedException e) {
      stopping = true;
      while (!sending.isDone()) {
        try {
          sending.get();
        } catch (InterruptedException again) {
          // Still leaving; the flag is raised again below.
        } catch (ExecutionException | CancellationException ended) {
          break;
        }
      }
      throw S3Errors.interrupted("upload", uri, e);
    } catch (ExecutionException e) {
      throw Background.rethrow(e);
    }
  }

  private String uploadPart(String uploadId, int number, long offset, long length,
      FileSliceBody.Progress progress) throws IOException {
    try (FileSliceBody body = new FileSliceBody(source, offset, length, progress)) {
      return s3.uploadPart(r -> r.bucket(location.bucket()).key(location.key()).uploadId(uploadId)
              .partNumber(number).contentLength(length),
          RequestBody.fromContentProvider(body, length, contentType)).eTag();
    } catch (SdkException e) {
      throw errors.classify("upload part " + number + " of", uri, location, e);
    }
  }

  private Void complete(String uploadId, List<CompletedPart> parts) throws StoreException {
    try {
      s3.completeMultipartUpload(r -> r.bucket(location.bucket()).key(location.key())
          .uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
      return null;
    } catch (SdkException e) {
      throw errors.classify("complete multipart upload of", uri, location, e);
    }
  }

  /** Aborts the upload, best effort; returns the failure if it could not. */
  private Optional<Exception> abort(String uploadId) {
    // The SDK refuses to start a request on an interrupted thread: lower the flag for the
    // abort (cleaning up is what an interrupted upload should still do) and raise it again.
    boolean interrupted = Thread.interrupted();
    try {
      retry.run("abort multipart upload of " + Redaction.uri(uri), () -> {
        try {
          s3.abortMultipartUpload(r -> r.bucket(location.bucket()).key(location.key())
              .uploadId(uploadId));
        } catch (NoSuchUploadException gone) {
          LOG.debug("Multipart upload {} was already gone", uploadId);
        } catch (SdkException e) {
          throw errors.classify("abort multipart upload of", uri, location, e);
        }
        return null;
      });
      LOG.info("Aborted multipart upload {} of {}; nothing was published", uploadId,
          Redaction.uri(uri));
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not abort multipart upload {} of {}: {}", uploadId, Redaction.uri(uri),
          e.getMessage());
      return Optional.of(e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private StoreException withAbortNote(Throwable failure, String uploadId, Exception abortFailure) {
    String note = "; aborting the multipart upload also failed (" + abortFailure.getMessage()
        + "), so its parts stay in bucket '" + location.bucket() + "' under upload id " + uploadId
        + ": remove them with 'aws s3api abort-multipart-upload --bucket " + location.bucket()
        + " --key " + location.key() + " --upload-id " + uploadId + "' or a lifecycle rule";
    StoreException out;
    if (failure instanceof StoreException e) {
      out = new StoreException(e.kind(), e.operation(), e.uri(), detail(e) + note, e);
    } else if (failure instanceof InterruptedIOException) {
      out = new StoreException(Kind.REJECTED, "upload", uri, "interrupted" + note, failure);
    } else {
      out = new StoreException(Kind.REJECTED, "upload", uri, failure.getMessage() + note, failure);
    }
    out.addSuppressed(abortFailure);
    return out;
  }

  /** The part of a StoreException's message after "operation uri: ". */
  private static String detail(StoreException e) {
    String prefix = e.operation() + " " + Redaction.uri(e.uri()) + ": ";
    String message = e.getMessage();
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }
}
