package io.ferry.shell.cli;

import io.ferry.driver.FerryContext;

/**
 * Where the shell's snippets find the context {@link ShellMain} started: the start-up snippet
 * binds {@code FerryContext ferry = io.ferry.shell.cli.ShellSession.context();}. The context is
 * created before the REPL starts (so a bad master fails before a prompt shows); snippets run in
 * this JVM, in a class loader whose parent is the application class loader that holds this class,
 * so they see this very instance. {@code /reset} re-runs the start-up snippet and binds the same one.
 */
public final class ShellSession {
  private static volatile FerryContext context;

  private ShellSession() {}

  /** The shell's context; fails if the shell has not started one (e.g. JShell run without ferry-shell). */
  public static FerryContext context() {
    FerryContext c = context;
    if (c == null) {
      throw new IllegalStateException("no FerryContext: this JShell was not started by bin/ferry-shell");
    }
    return c;
  }

  static void bind(FerryContext c) {
    context = c;
  }
}
