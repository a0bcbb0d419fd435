package io.ferry.bench;

import io.ferry.packager.store.TransferListener;
import java.util.ArrayList;
import java.util.List;

/**
 * Times the sending phase of uploads from their progress events: from {@code started} to the
 * event that reports the last byte. The first (warm-up) run is dropped, as {@code measure} does.
 */
final class SendClock {

  private final long size;
  private final List<Long> nanos = new ArrayList<>();
  private boolean warm;

  SendClock(long size) {
    this.size = size;
  }

  TransferListener start() {
    return new TransferListener() {
      long t0;
      long sent;

      @Override
      public void started(String what, long totalBytes) {
        t0 = System.nanoTime();
      }

      @Override
      public void transferred(long bytes) {
        sent += bytes;
        if (sent == size) {
          if (warm) {
            nanos.add(System.nanoTime() - t0);
          }
          warm = true;
        }
      }
    };
  }

  Result result() {
    return new Result(nanos);
  }
}
