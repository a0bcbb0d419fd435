package io.ferry.mesos.recordio;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * A RecordIO stream broke the framing rules (a bad length line, a record over the maximum size).
 * The stream cannot be resynchronised after this: the decoder drops everything that follows.
 *
 * <p>It extends Netty's {@link CorruptedFrameException} so a pipeline sees it unwrapped in
 * {@code exceptionCaught}.
 */
public class RecordIoException extends CorruptedFrameException {
  private static final long serialVersionUID = 1L;

  public RecordIoException(String message) {
    super(message);
  }
}
