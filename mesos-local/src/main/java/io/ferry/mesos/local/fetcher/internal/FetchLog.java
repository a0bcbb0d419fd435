package io.ferry.mesos.local.fetcher.internal;

import java.io.Flushable;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fetcher's own log, which Mesos writes to the sandbox's {@code stderr} before the executor's
 * output is appended: one glog-style line per step ({@code I0412 10:31:02.123456 fetcher] ...},
 * {@code E} for the failure). Each message is kept to one line (control characters in a URI or a
 * name escaped) of at most {@value #MAX_LINE} characters. A sink that fails to take a line is logged once and then ignored:
 * losing the log must not fail the task.
 */
public final class FetchLog {

  private static final Logger LOG = LoggerFactory.getLogger(FetchLog.class);
  static final int MAX_LINE = 2000;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MMdd HH:mm:ss.SSSSSS");

  private final Appendable sink;
  private final Clock clock;
  private boolean broken;

  public FetchLog(Appendable sink) {
    this(sink, Clock.systemDefaultZone());
  }

  FetchLog(Appendable sink, Clock clock) {
    this.sink = sink;
    this.clock = clock;
  }

  public void info(String message) {
    write('I', message);
  }

  public void warn(String message) {
    write('W', message);
  }

  public void error(String message) {
    write('E', message);
  }

  private synchronized void write(char level, String message) {
    if (broken) {
      return;
    }
    try {
      sink.append(level).append(LocalDateTime.now(clock).format(TIME)).append(" fetcher] ")
          .append(ReasonText.line(message, MAX_LINE)).append('\n');
      if (sink instanceof Flushable flushable) {
        flushable.flush();
      }
    } catch (IOException | RuntimeException e) {
      broken = true;
      LOG.warn("The fetch log sink failed; dropping the rest of this fetch's log: {}", e.toString());
    }
  }
}
