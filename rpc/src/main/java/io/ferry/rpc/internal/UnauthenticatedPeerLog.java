package io.ferry.rpc.internal;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's log lines about peers that have not authenticated (rejected, refused, timed out,
 * sent garbage), rate-limited across peers: anyone can connect to the driver port, so without a
 * limit a scan or a flood writes the operator's log. At most {@link #LINES_PER_WINDOW} such lines
 * per {@link #WINDOW}; the ones left out are counted and the count is logged as one line when a
 * window ends (on the next such event, on the server's periodic {@link #flush()}, or at close).
 *
 * <p>Thread-safe: called from every I/O thread of the server.
 */
public final class UnauthenticatedPeerLog {
  public static final int LINES_PER_WINDOW = 10;
  public static final Duration WINDOW = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(UnauthenticatedPeerLog.class);

  private final LongSupplier nanoClock;
  private long windowStart;
  private int loggedInWindow;
  private int suppressed;

  public UnauthenticatedPeerLog() {
    this(System::nanoTime);
  }

  UnauthenticatedPeerLog(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.windowStart = nanoClock.getAsLong();
  }

  /**
   * Logs one line at WARN (SLF4J placeholders) unless this window's lines are spent; then counts
   * it. Peer-supplied text in {@code args} must already be escaped ({@code PeerText.escape}).
   */
  public void warn(Logger logger, String format, Object... args) {
    int report;
    boolean logIt;
    synchronized (this) {
      report = rollWindow();
      logIt = loggedInWindow < LINES_PER_WINDOW;
      if (logIt) {
        loggedInWindow++;
      } else {
        suppressed++;
      }
    }
    reportSuppressed(report);
    if (logIt) {
      logger.warn(format, args);
    }
  }

  /** Logs the count left out in a window that has ended. */
  public void flush() {
    int report;
    synchronized (this) {
      report = rollWindow();
    }
    reportSuppressed(report);
  }

  /** Logs whatever count is left out so far (the server is closing). */
  public void flushAll() {
    int report;
    synchronized (this) {
      report = suppressed;
      suppressed = 0;
    }
    reportSuppressed(report);
  }

  /** How many lines were left out and not reported yet. */
  synchronized int suppressedSoFar() {
    return suppressed;
  }

  /** Starts a new window when the current one has ended; returns the count to report, if any. */
  private int rollWindow() {
    long now = nanoClock.getAsLong();
    if (now - windowStart < WINDOW.toNanos()) {
      return 0;
    }
    windowStart = now;
    loggedInWindow = 0;
    int report = suppressed;
    suppressed = 0;
    return report;
  }

  private static void reportSuppressed(int count) {
    if (count > 0) {
      log.warn("[driver] {} more unauthenticated peer(s) were rejected or closed and not logged one by one"
          + " (at most {} such lines per {} s)", count, LINES_PER_WINDOW, WINDOW.toSeconds());
    }
  }
}
