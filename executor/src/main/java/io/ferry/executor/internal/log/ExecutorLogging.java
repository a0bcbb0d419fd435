package io.ferry.executor.internal.log;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The executor's SLF4J backend: SLF4J simple's configuration keys and line format (so
 * {@code conf/simplelogger.properties} and {@code -Dorg.slf4j.simpleLogger.*} work as for every
 * other Ferry tool), without what makes SLF4J simple slow to start.
 *
 * <p>Why: {@code bin/ferry-executor} names this class in {@code -Dslf4j.provider}, so SLF4J neither
 * searches the class path for providers (opening all 23 jars of the executor's class path, the
 * Hadoop client's 25,000 entries among them) nor starts slf4j-simple, which looks for
 * {@code simplelogger.properties} in every jar and formats times with {@link java.text.SimpleDateFormat}:
 * together 60-150 ms of the executor's start before SUBSCRIBE (BENCHMARKS.md, "Executor warm
 * start"). Ferry's time pattern is written by {@link UtcTimestamp}; any other
 * {@code dateTimeFormat} still goes through {@code SimpleDateFormat}. Not supported (slf4j-simple
 * is still on the class path for them): {@code showThreadId} and {@code cacheOutputStream}, and
 * {@code simplelogger.properties} inside jars (only {@code conf/}'s counts, through
 * {@code DirectoryLogConfig}).
 */
public final class ExecutorLogging implements SLF4JServiceProvider {
  /** What {@code -Dslf4j.provider} names. */
  public static final String PROVIDER = ExecutorLogging.class.getName();

  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();
  private volatile Factory factory;

  @Override
  public ILoggerFactory getLoggerFactory() {
    return factory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {
    factory = new Factory(LogSettings.from(System.getProperties()));
  }

  private static final class Factory implements ILoggerFactory {
    private final LogSettings settings;
    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();

    Factory(LogSettings settings) {
      this.settings = settings;
    }

    @Override
    public Logger getLogger(String name) {
      return loggers.computeIfAbsent(name, n -> new ExecutorLogger(n, settings));
    }
  }
}
