package io.ferry.mesos.local.e2e;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads RecordIO records from a stream by hand, independently of mesos-api's decoder, so that a
 * conformance test and the code under test cannot share a misreading of the format.
 */
public final class RecordIoReader {

  private final InputStream in;

  public RecordIoReader(InputStream in) {
    this.in = in;
  }

  /** The next record, or null at the end of the stream. */
  public byte[] next() throws IOException {
    ByteArrayOutputStream length = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (length.size() == 0) {
          return null;
        }
        throw new EOFException("stream ended inside a length line");
      }
      if (b == '\n') {
        break;
      }
      if (b < '0' || b > '9' || length.size() > 20) {
        throw new IOException("bad RecordIO length line: " + length + (char) b);
      }
      length.write(b);
    }
    int n = Integer.parseInt(length.toString());
    return in.readNBytes(n);
  }
}
