package io.ferry.executor.internal.log;

import java.io.PrintStream;
import java.text.SimpleDateFormat;
import java.util.Date;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** One logger of the executor: SLF4J simple's line format, written by {@link ExecutorLogging}'s settings. */
final class ExecutorLogger extends LegacyAbstractLogger {
  private static final long serialVersionUID = 1L;
  private static final long START = System.currentTimeMillis();
  private static SimpleDateFormat pattern; // only for a dateTimeFormat other than Ferry's; guarded by OUTPUT

  /** One lock for every logger's writes, so lines from different threads never interleave. */
  private static final Object OUTPUT = new Object();

  private final transient LogSettings settings;
  private final int level;

  ExecutorLogger(String name, LogSettings settings) {
    this.name = name;
    this.settings = settings;
    this.level = settings.levelOf(name);
  }

  @Override
  public boolean isTraceEnabled() {
    return level <= LogSettings.TRACE;
  }

  @Override
  public boolean isDebugEnabled() {
    return level <= LogSettings.DEBUG;
  }

  @Override
  public boolean isInfoEnabled() {
    return level <= LogSettings.INFO;
  }

  @Override
  public boolean isWarnEnabled() {
    return level <= LogSettings.WARN;
  }

  @Override
  public boolean isErrorEnabled() {
    return level <= LogSettings.ERROR;
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(Level at, Marker marker, String messagePattern, Object[] arguments,
      Throwable throwable) {
    StringBuilder line = new StringBuilder(128);
    long now = System.currentTimeMillis();
    switch (settings.timestamps()) {
      case ISO_UTC -> UtcTimestamp.append(line, now);
      case ELAPSED -> line.append(now - START);
      case PATTERN -> {
        synchronized (OUTPUT) {
          if (pattern == null) {
            pattern = new SimpleDateFormat(settings.dateTimeFormat());
          }
          line.append(pattern.format(new Date(now)));
        }
      }
      case NONE -> { }
      default -> throw new IllegalStateException(settings.timestamps().toString());
    }
    if (settings.timestamps() != LogSettings.Timestamps.NONE) {
      line.append(' ');
    }
    if (settings.showThreadName()) {
      line.append('[').append(Thread.currentThread().getName()).append("] ");
    }
    String levelName = at == Level.WARN ? settings.warnLevelString() : at.name();
    if (settings.levelInBrackets()) {
      line.append('[').append(levelName).append("] ");
    } else {
      line.append(levelName).append(' ');
    }
    if (settings.showShortLogName()) {
      line.append(name.substring(name.lastIndexOf('.') + 1)).append(" - ");
    } else if (settings.showLogName()) {
      line.append(name).append(" - ");
    }
    if (marker != null) {
      line.append(' ').append(marker.getName()).append(' ');
    }
    line.append(MessageFormatter.basicArrayFormat(messagePattern, arguments));
    PrintStream out = settings.out();
    synchronized (OUTPUT) {
      out.println(line);
      if (throwable != null) {
        throwable.printStackTrace(out);
      }
      out.flush();
    }
  }
}
