package io.ferry.shell.cli;

import io.ferry.driver.FerryContext;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closes the shell's context exactly once, however the shell ends: {@code /exit} or Ctrl-D (JShell
 * returns and {@link ShellMain} calls {@link #close()}), SIGTERM or SIGHUP (the JVM's shutdown
 * hook), or {@code System.exit} in a snippet (the hook again).
 * {@link FerryContext#close()} tears the framework down (TEARDOWN): Mesos kills its executors.
 */
final class ShellClose implements AutoCloseable {
  private final FerryContext context;
  private final PrintStream err;
  private final AtomicBoolean closed = new AtomicBoolean();

  ShellClose(FerryContext context, PrintStream err) {
    this.context = context;
    this.err = err;
  }

  /** The JVM's shutdown hook: SIGTERM, SIGHUP and {@code System.exit} close the context too. */
  ShellClose onShutdown() {
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, "ferry-shell-close"));
    return this;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    String framework = context.frameworkId().map(id -> " (framework " + id + " torn down)").orElse("");
    context.close();
    err.println(Banner.PREFIX + "FerryContext closed" + framework);
    err.flush();
  }
}
