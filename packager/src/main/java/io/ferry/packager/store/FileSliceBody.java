package io.ferry.packager.store;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.http.ContentStreamProvider;

/**
 * A request body streamed from {@code length} bytes of a file at {@code offset}, reporting
 * progress to a {@link TransferListener} as the HTTP client reads it, so progress is live rather
 * than per request.
 *
 * <p>The SDK may open the body more than once (signing, its own retries) and {@link RetryPolicy}
 * re-sends a failed part with a new body; the shared {@link Progress} only reports bytes past what
 * was reported before, so a listener's total is the file size however often bytes are re-read.
 *
 * <p>Interrupts need nothing here: {@link S3MultipartUpload} honours them between parts, and if the
 * sending thread itself is interrupted, the SDK's own wrapper around this stream fails the read
 * and {@link DisconnectingHttpClient} closes the connection.
 */
final class FileSliceBody implements ContentStreamProvider, Closeable {

  /** How many bytes of one slice were reported; shared by every attempt at sending it. */
  static final class Progress {
    private final TransferListener listener;
    private long reported;

    Progress(TransferListener listener) {
      this.listener = listener;
    }

    void reached(long position) {
      if (position > reported) {
        listener.transferred(position - reported);
        reported = position;
      }
    }
  }

  private final Path file;
  private final long offset;
  private final long length;
  private final Progress progress;
  private InputStream current;

  FileSliceBody(Path file, long offset, long length, Progress progress) {
    this.file = file;
    this.offset = offset;
    this.length = length;
    this.progress = progress;
  }

  @Override
  public InputStream newStream() {
    try {
      close();
      InputStream in = Files.newInputStream(file);
      in.skipNBytes(offset);
      current = new SliceStream(in);
      return current;
    } catch (IOException e) {
      // The SDK's interface cannot throw IOException; the SDK unwraps this into its cause.
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    if (current != null) {
      current.close();
      current = null;
    }
  }

  private final class SliceStream extends FilterInputStream {
    private long position;

    SliceStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      long remaining = length - position;
      if (remaining <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n > 0) {
        position += n;
        progress.reached(position);
      } else if (n < 0) {
        throw new IOException(file + " shrank while uploading (expected " + length
            + " bytes at offset " + offset + ", got " + position + ")");
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      // Through read(), so the slice's limit and position stay right.
      byte[] buf = new byte[8192];
      long skipped = 0;
      while (skipped < n) {
        int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
        if (r < 0) {
          break;
        }
        skipped += r;
      }
      return skipped;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(in.available(), length - position);
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
