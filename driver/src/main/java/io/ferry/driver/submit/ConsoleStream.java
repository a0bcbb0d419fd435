package io.ferry.driver.submit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * What {@code System.out} or {@code System.err} write through while the progress line is on the
 * terminal: each write first has the console move the line out of the way, then goes to the real
 * stream, flushed at once, so no byte of the application or of a log line lands in the middle of
 * the progress line.
 */
final class ConsoleStream extends OutputStream {
  private final SubmitConsole console;
  private final PrintStream target;

  ConsoleStream(SubmitConsole console, PrintStream target) {
    this.console = console;
    this.target = target;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    if (len == 0) {
      return;
    }
    console.output(() -> {
      target.write(b, off, len);
      target.flush();
    }, b[off + len - 1] == '\n');
  }

  @Override
  public void flush() {
    target.flush();
  }
}
