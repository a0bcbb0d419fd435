package io.ferry.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.Marker;
import java.util.ArrayList;
import java.util.List;

@Timeout(10)
class UnauthenticatedPeerLogTest {
  /** Records formatted lines; the summary goes to the class's own logger, counted through the return of flush. */
  static final class Lines extends AbstractLogger {
    final List<String> lines = new ArrayList<>();

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String format, Object[] args, Throwable t) {
      lines.add(org.slf4j.helpers.MessageFormatter.basicArrayFormat(format, args));
    }

    @Override public boolean isTraceEnabled() { return true; }
    @Override public boolean isTraceEnabled(Marker m) { return true; }
    @Override public boolean isDebugEnabled() { return true; }
    @Override public boolean isDebugEnabled(Marker m) { return true; }
    @Override public boolean isInfoEnabled() { return true; }
    @Override public boolean isInfoEnabled(Marker m) { return true; }
    @Override public boolean isWarnEnabled() { return true; }
    @Override public boolean isWarnEnabled(Marker m) { return true; }
    @Override public boolean isErrorEnabled() { return true; }
    @Override public boolean isErrorEnabled(Marker m) { return true; }
  }

  @Test
  void atMostTenLinesPerWindowAndTheRestCounted() {
    AtomicLong now = new AtomicLong();
    UnauthenticatedPeerLog peerLog = new UnauthenticatedPeerLog(now::get);
    Lines logger = new Lines();
    for (int i = 0; i < 50; i++) {
      peerLog.warn(logger, "peer {}", i);
    }
    assertThat(logger.lines).hasSize(UnauthenticatedPeerLog.LINES_PER_WINDOW).first().isEqualTo("peer 0");
    assertThat(peerLog.suppressedSoFar()).isEqualTo(40);
    peerLog.flush(); // the window has not ended: nothing to report yet
    assertThat(peerLog.suppressedSoFar()).isEqualTo(40);

    now.addAndGet(UnauthenticatedPeerLog.WINDOW.toNanos());
    peerLog.warn(logger, "peer {}", 50); // a new window: the count is reported, this line is logged
    assertThat(peerLog.suppressedSoFar()).isZero();
    assertThat(logger.lines).hasSize(UnauthenticatedPeerLog.LINES_PER_WINDOW + 1).last().isEqualTo("peer 50");
  }
}
