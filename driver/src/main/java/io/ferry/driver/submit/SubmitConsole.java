package io.ferry.driver.submit;

import io.ferry.driver.FerryContext;
import io.ferry.driver.JobProgress;
import io.ferry.driver.MasterUrl;
import io.ferry.driver.ProgressMode;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * {@code ferry-submit}'s console on stderr: the web UI's address when the application's
 * {@link FerryContext} starts, and the tasks' progress while it runs, in place on a terminal
 * ({@link TerminalProgress}) or as plain lines ({@link PlainProgress}).
 *
 * <p>It finds the context as a {@link FerryContext.Observer} and reads only
 * {@link FerryContext#progress()}, a snapshot the scheduler publishes without a lock, from its own
 * daemon thread {@code ferry-submit-progress} ten times a second: the display never runs on, nor
 * waits for, the scheduler's threads or a Netty event loop. On a terminal it also puts itself in
 * front of {@code System.err} (every log line) and, when stdout is the same terminal,
 * {@code System.out} ({@link ConsoleStream}), so that it can wipe the line before their output.
 */
final class SubmitConsole implements FerryContext.Observer, AutoCloseable {
  static final Duration SAMPLE_PERIOD = Duration.ofMillis(100);

  private final ProgressMode mode;
  private final TerminalFacts facts;
  private final PrintStream err;
  private final PrintStream out;
  private final LongSupplier nanoClock;
  private final ReentrantLock lock = new ReentrantLock();
  private ScheduledExecutorService sampler;
  private ScheduledFuture<?> sampling;
  private AutoCloseable observing;
  private Thread exitHook;
  private PrintStream systemOut;
  private PrintStream systemErr;
  private FerryContext attached;
  private ProgressView view;
  private String shownWebUi;
  private boolean lastEndedLine = true;
  private boolean installed;

  SubmitConsole(ProgressMode mode, TerminalFacts facts, PrintStream err, PrintStream out, LongSupplier nanoClock) {
    this.mode = mode;
    this.facts = facts;
    this.err = err;
    this.out = out;
    this.nanoClock = nanoClock;
  }

  /** In place on a terminal: {@code always}, or {@code auto} with stderr a terminal. */
  boolean inPlace() {
    return mode == ProgressMode.ALWAYS || (mode == ProgressMode.AUTO && facts.stderrTerminal());
  }

  /**
   * Observes contexts from now on, and routes System.err and System.out through this (on a
   * terminal, System.out only when it is the same terminal), so that progress never splits a line.
   */
  void install() {
    if (installed) {
      throw new IllegalStateException("the console is installed already");
    }
    installed = true;
    if (mode != ProgressMode.NEVER) {
      systemOut = System.out;
      systemErr = System.err;
      System.setErr(wrap(err, "stderr"));
      // On a terminal, stdout shares the progress line's row only when it is the same terminal.
      // Without one, stdout and stderr are often one file or pipe (2>&1, a CI log, docker's
      // output), where a progress line written while the application is half-way through a line
      // (printf writes piece by piece) would land inside it: plain lines wait for it to end.
      if (!inPlace() || facts.stdoutTerminal()) {
        System.setOut(wrap(out, "stdout"));
      }
      exitHook = new Thread(this::onExit, "ferry-submit-console-exit");
      Runtime.getRuntime().addShutdownHook(exitHook);
    }
    observing = FerryContext.addObserver(this);
  }

  private PrintStream wrap(PrintStream target, String name) {
    String encoding = System.getProperty(name + ".encoding", System.getProperty("sun." + name + ".encoding"));
    Charset charset = encoding == null ? Charset.defaultCharset() : Charset.forName(encoding);
    return new PrintStream(new ConsoleStream(this, target), true, charset);
  }

  @Override
  public void started(FerryContext context) {
    Optional<String> ui = context.webUi();
    lock.lock();
    try {
      ui.ifPresent(url -> {
        shownWebUi = url;
        line("[ferry] Mesos web UI: " + url
            + (context.conf().master() instanceof MasterUrl.ZooKeeper ? " (the leading master)" : ""));
      });
      if (attached != null || mode == ProgressMode.NEVER) {
        return; // one display: the first context's (an application rarely runs two at once)
      }
      attached = context;
      view = inPlace() ? new TerminalProgress(err, facts.columns(), nanoClock) : new PlainProgress(err, nanoClock);
      view.afterOutput(lastEndedLine);
      if (sampler == null) {
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "ferry-submit-progress");
          t.setDaemon(true);
          return t;
        });
      }
      long period = SAMPLE_PERIOD.toMillis();
      sampling = sampler.scheduleAtFixedRate(this::sample, period, period, TimeUnit.MILLISECONDS);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void closing(FerryContext context) {
    lock.lock();
    try {
      if (context == attached) {
        detach(context.progress());
      }
    } finally {
      lock.unlock();
    }
  }

  /** One sample: the counts, and the web UI's address when the leading master changed. */
  void sample() {
    lock.lock();
    try {
      if (attached == null) {
        return;
      }
      Optional<String> ui = attached.webUi();
      if (ui.isPresent() && !ui.get().equals(shownWebUi)) {
        shownWebUi = ui.get();
        view.beforeOutput(attached.progress());
        line("[ferry] Mesos web UI: " + ui.get() + " (a new leading master)");
      }
      view.sample(attached.progress());
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code write} (bytes for the real stdout or stderr) with the progress line out of its way. */
  void output(Runnable write, boolean endsLine) {
    lock.lock();
    try {
      if (view != null) {
        view.beforeOutput(attached.progress());
      }
      write.run();
      lastEndedLine = endsLine;
      if (view != null) {
        view.afterOutput(endsLine);
      }
    } finally {
      lock.unlock();
    }
  }

  private void line(String text) {
    if (view != null) {
      view.beforeOutput(attached.progress());
    }
    err.println(text);
    err.flush();
    lastEndedLine = true;
    if (view != null) {
      view.afterOutput(true);
    }
  }

  private void detach(JobProgress last) {
    view.finish(last);
    view = null;
    attached = null;
    if (sampling != null) {
      sampling.cancel(false);
      sampling = null;
    }
  }

  /** The application called System.exit with its context open: leave the last counts on their own line. */
  private void onExit() {
    try {
      if (lock.tryLock(200, TimeUnit.MILLISECONDS)) {
        try {
          if (attached != null) {
            detach(attached.progress());
          }
        } finally {
          lock.unlock();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Finishes a context still open, stops observing and sampling, and gives System.out and System.err back. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (attached != null) {
        detach(attached.progress());
      }
    } finally {
      lock.unlock();
    }
    try {
      if (observing != null) {
        observing.close();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    if (sampler != null) {
      sampler.shutdownNow();
    }
    if (exitHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(exitHook);
      } catch (IllegalStateException alreadyExiting) {
        // the hook runs, or ran, on its own
      }
      System.setErr(systemErr);
      System.setOut(systemOut);
    }
  }
}
